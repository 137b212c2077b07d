/// An operation got a value it cannot use: a limit out of range, a filter or cursor that
/// means nothing. Names the parameter and the value.
public struct InvalidParameterError: Error, CustomStringConvertible {
    /// The parameter at fault, as the caller named it (`limit`, `cursor`, `status`, …).
    public let parameter: String
    /// The value, escaped and bounded for a log or an answer.
    public let shownValue: String
    public let reason: String

    public init(parameter: String, value: String, reason: String) {
        self.parameter = parameter
        self.shownValue = StoredText.shown(value)
        self.reason = reason
    }

    public var description: String { "\(parameter) \(shownValue) \(reason)" }
}
