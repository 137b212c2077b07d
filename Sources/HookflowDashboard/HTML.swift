/// HTML text in which every interpolated string is escaped: a value from a run (its input, a
/// step's result, an error message) can only ever be text on the page. Markup goes in as
/// ``HTML`` values, which are inserted as they are.
///
/// ```swift
/// let cell: HTML = "<td>\(run.workflowID)</td>"   // "<td>&lt;script&gt;…</td>"
/// ```
package struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    package init(stringLiteral value: String) { text = value }
    package init(stringInterpolation: Interpolation) { text = stringInterpolation.text }
    private init(markup: String) { text = markup }

    package var description: String { text }

    /// Markup written in the code: a constant, never a value from a run.
    package static func raw(_ markup: StaticString) -> HTML { HTML(markup: markup.description) }

    /// Every piece, one after another.
    package static func join(_ pieces: some Sequence<HTML>, separator: HTML = "") -> HTML {
        HTML(markup: pieces.map(\.text).joined(separator: separator.text))
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe in text and
    /// in quoted attribute values.
    package static func escape(_ text: String) -> String {
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

    /// Builds ``HTML`` from a literal: strings and numbers are escaped, ``HTML`` values inserted as they are.
    package struct Interpolation: StringInterpolationProtocol {
        fileprivate var text = ""

        package init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }
        package mutating func appendLiteral(_ literal: String) { text += literal }
        package mutating func appendInterpolation(_ html: HTML) { text += html.text }
        package mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        package mutating func appendInterpolation(_ value: Int) { text += String(value) }
        package mutating func appendInterpolation(_ pieces: [HTML]) { text += pieces.map(\.text).joined() }
        package mutating func appendInterpolation(_ html: HTML?) { text += html?.text ?? "" }
    }
}
