import Foundation
import Hookflow

/// The body of every Hookflow message on QStash: the run to invoke. With a database that is
/// all, so a message's size does not grow with the run; in stateless mode the run's input and
/// completed steps travel with it.
public struct QStashInvocation: Codable, Sendable, Hashable {
    public var runID: String
    /// The run itself, in stateless mode only.
    public var state: StatelessRunState?

    public init(runID: String, state: StatelessRunState? = nil) {
        self.runID = runID
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case state
    }
}

/// A run as it travels in a stateless-mode message.
public struct StatelessRunState: Codable, Sendable, Hashable {
    public var workflowID: String
    /// The input as JSON text.
    public var data: String
    public var createdAt: Date
    public var steps: [StepRecord]

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id", data, createdAt = "created_at", steps
    }
}
