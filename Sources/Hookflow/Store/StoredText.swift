/// Text that comes from outside the engine (error messages, response bodies, request bodies)
/// made safe to store and to log.
public enum StoredText {
    /// The longest error message kept, in characters.
    public static let maximumErrorLength = 8_192

    /// `text` without NUL characters (which PostgreSQL refuses in text), at most
    /// ``maximumErrorLength`` characters long.
    public static func errorMessage(_ text: String) -> String {
        var text = text
        if text.utf8.contains(0) { text = text.replacingOccurrences(of: "\u{0}", with: "\\0") }
        guard text.count > maximumErrorLength else { return text }
        return text.prefix(maximumErrorLength) + "… (\(text.count - maximumErrorLength) more characters)"
    }

    /// `text` quoted for a log line or an error: control characters escaped (no forged
    /// log lines), at most `limit` characters, with how much was cut.
    public static func shown(_ text: String, limit: Int = 64) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            switch scalar {
            case "\"": shown += "\\\""
            case "\\": shown += "\\\\"
            case "\n": shown += "\\n"
            case "\r": shown += "\\r"
            case "\t": shown += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.generalCategory == .format {
                    shown += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    shown.unicodeScalars.append(scalar)
                }
            }
        }
        let extra = text.unicodeScalars.count - limit
        return "\"" + shown + "\"" + (extra > 0 ? "… (\(extra) more)" : "")
    }
}
