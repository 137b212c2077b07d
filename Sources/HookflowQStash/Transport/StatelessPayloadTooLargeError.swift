/// In stateless mode a run's message carries its steps; this one outgrew the payload limit.
public struct StatelessPayloadTooLargeError: Error, CustomStringConvertible, Hashable {
    public let runID: String
    public let size: Int
    public let limit: Int

    public var description: String {
        "run \(runID) no longer fits a QStash message in stateless mode: \(size) bytes, the limit is \(limit) "
            + "(maxPayloadSize); keep step results small or use a database store"
    }
}
