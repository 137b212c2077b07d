/// HTML text in which every interpolated string is escaped: a value from a run (its input, a
/// step's result, an error message) can only ever be text on the page. Markup goes in as
/// ``HTML`` values, which are inserted as they are.
///
/// ```swift
/// let cell: HTML = "<td>\(run.workflowID)</td>"   // "<td>&lt;script&gt;…</td>"
/// ```
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(stringLiteral value: String) { text = value }
    init(stringInterpolation: Interpolation) { text = stringInterpolation.text }
    private init(markup: String) { text = markup }

    var description: String { text }

    /// Markup already safe (a constant, or built of ``HTML`` values).
    static func raw(_ markup: String) -> HTML { HTML(markup: markup) }

    /// Every piece, one after another.
    static func join(_ pieces: some Sequence<HTML>, separator: HTML = "") -> HTML {
        HTML(markup: pieces.map(\.text).joined(separator: separator.text))
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe in text and
    /// in quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var text = ""

        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }
        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ html: HTML) { text += html.text }
        mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        mutating func appendInterpolation(_ value: Int) { text += String(value) }
        mutating func appendInterpolation(_ pieces: [HTML]) { text += pieces.map(\.text).joined() }
        mutating func appendInterpolation(_ html: HTML?) { text += html?.text ?? "" }
    }
}
