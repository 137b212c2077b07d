/// The body of every Hookflow message on QStash: the run to invoke, nothing else, so a
/// message's size does not grow with the run's history.
public struct QStashInvocation: Codable, Sendable, Hashable {
    public var runID: String

    public init(runID: String) { self.runID = runID }

    enum CodingKeys: String, CodingKey { case runID = "run_id" }
}
