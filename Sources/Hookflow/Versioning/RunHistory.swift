import Foundation

/// A run's history as its steps recorded it: what ``WorkflowEngine/history(of:)`` saves to a
/// file and `WorkflowReplayer` (HookflowTesting) replays against the current code.
public struct RunHistory: Codable, Sendable, Hashable {
    public var runID: WorkflowRunID
    public var workflowID: String
    /// The run's input, as JSON text.
    public var input: String
    public var createdAt: Date
    /// The run's steps, in execution order.
    public var steps: [StepRecord]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", workflowID = "workflow_id", input, createdAt = "created_at", steps
    }

    public init(runID: WorkflowRunID, workflowID: String, input: String, createdAt: Date, steps: [StepRecord]) {
        self.runID = runID
        self.workflowID = workflowID
        self.input = input
        self.createdAt = createdAt
        self.steps = steps
    }

    /// Reads a history written by ``write(to:)``.
    public init(contentsOf url: URL) throws {
        self = try Self.decoder.decode(RunHistory.self, from: Data(contentsOf: url))
    }

    /// Writes the history as JSON.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601WithMilliseconds
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601WithMilliseconds
        return decoder
    }
}

extension WorkflowEngine {
    /// The history of `runID`: its input and every step it recorded, to replay against later code.
    /// Throws ``WorkflowRunNotFoundError`` when there is no such run.
    ///
    /// ```swift
    /// try await app.hookflow.engine.history(of: "order-7").write(to: URL(filePath: "order-7.json"))
    /// ```
    public func history(of runID: WorkflowRunID) async throws -> RunHistory {
        try Identifier.validate(runID.rawValue, as: "run id")
        guard let run = try await store.run(runID) else { throw WorkflowRunNotFoundError(runID: runID) }
        return RunHistory(
            runID: runID, workflowID: run.workflowID, input: run.input, createdAt: run.createdAt,
            steps: try await store.steps(of: runID))
    }
}

extension JSONEncoder.DateEncodingStrategy {
    /// ISO 8601 with milliseconds: a step's times survive the round trip as the stores keep them.
    static let iso8601WithMilliseconds = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(
            date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)))
    }
}

extension JSONDecoder.DateDecodingStrategy {
    static let iso8601WithMilliseconds = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = HookflowTime.parseISO8601(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
        }
        return date
    }
}
