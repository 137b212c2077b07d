import Foundation
import Hookflow

/// The body of every Hookflow message on QStash: the run to invoke. With a database that is
/// all, so a message's size does not grow with the run; in stateless mode the run's input and
/// completed steps travel with it.
public struct QStashInvocation: Codable, Sendable, Hashable {
    public var runID: String
    /// The wake time this message was published for, when it is a wake-up: a delivery that
    /// finds its run asleep until this very time arrived early; one for another time is stale.
    public var wakeAt: Date?
    /// The run itself, in stateless mode only.
    public var state: StatelessRunState?

    public init(runID: String, wakeAt: Date? = nil, state: StatelessRunState? = nil) {
        self.runID = runID
        self.wakeAt = wakeAt
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case wakeAt = "wake_at_ms"
        case state
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        runID = try container.decode(String.self, forKey: .runID)
        wakeAt = try container.decodeIfPresent(Int64.self, forKey: .wakeAt).map {
            Date(timeIntervalSince1970: Double($0) / 1000)
        }
        state = try container.decodeIfPresent(StatelessRunState.self, forKey: .state)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encodeIfPresent(wakeAt.map { HookflowTime.milliseconds(since1970: $0) }, forKey: .wakeAt)
        try container.encodeIfPresent(state, forKey: .state)
    }
}

/// A run as it travels in a stateless-mode message.
public struct StatelessRunState: Codable, Sendable, Hashable {
    public var workflowID: String
    /// The input as JSON text.
    public var data: String
    public var createdAt: Date
    public var steps: [StepRecord]
    /// The trace context of the run's trigger, so that every delivery's spans join its trace.
    public var traceContext: String? = nil

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id", data, createdAt = "created_at", steps, traceContext = "trace_context"
    }
}
