/// No schedule has the name an operation was given.
public struct ScheduleNotFoundError: Error, CustomStringConvertible, Sendable {
    public let name: String

    public init(name: String) { self.name = name }

    public var description: String { "no schedule is called \(StoredText.shown(name))" }
}
