import Foundation

/// Parses `Upstash-Delay` values: `<n><unit>` with units s, m, h, d, combinable (`1d10h30m`).
enum DelayHeader {
    static func seconds(_ value: String) -> Double? {
        var total = 0.0
        var digits = ""
        for character in value.trimmingCharacters(in: .whitespaces) {
            if character.isNumber {
                digits.append(character)
                continue
            }
            guard let amount = Double(digits) else { return nil }
            switch character {
            case "s": total += amount
            case "m": total += amount * 60
            case "h": total += amount * 3600
            case "d": total += amount * 86_400
            default: return nil
            }
            digits = ""
        }
        if !digits.isEmpty {
            guard let amount = Double(digits) else { return nil }
            total += amount
        }
        return total
    }
}
