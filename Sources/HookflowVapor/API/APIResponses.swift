import Hookflow

/// `GET …api/workflows`: every registered workflow, and any other that has runs, with its runs by status.
struct WorkflowListResponse: Encodable {
    struct Workflow: Encodable {
        var workflowID: String
        /// Whether this instance can execute it (a workflow of another release is not).
        var registered: Bool
        var counts: [String: Int]

        enum CodingKeys: String, CodingKey {
            case workflowID = "workflow_id", registered, counts
        }
    }

    var workflows: [Workflow]
}

/// `GET …api/dead-letters`: a page of dead letters and the cursor of the next.
struct DeadLetterListResponse: Encodable {
    var deadLetters: [DeadLetterResponse]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case deadLetters = "dead_letters", nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(deadLetters, forKey: .deadLetters)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// A run listing as the commands (and the JSON API) answer it.
struct RunListResponse: Encodable {
    var runs: [RunStatusResponse]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case runs, nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runs, forKey: .runs)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// A dead letter as the commands (and the JSON API) answer it.
struct DeadLetterResponse: Encodable {
    var id: String
    var runID: String
    var workflowID: String
    var stepID: String?
    var errorMessage: String
    var createdAt: String
    var replayedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, runID = "run_id", workflowID = "workflow_id", stepID = "step_id", errorMessage = "error_message"
        case createdAt = "created_at", replayedAt = "replayed_at"
    }

    init(_ letter: DeadLetterRecord) {
        id = letter.id
        runID = letter.runID.rawValue
        workflowID = letter.workflowID
        stepID = letter.stepID
        errorMessage = letter.errorMessage
        createdAt = CommandOutput.time(letter.createdAt)
        replayedAt = letter.replayedAt.map { CommandOutput.time($0) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(runID, forKey: .runID)
        try container.encode(workflowID, forKey: .workflowID)
        try container.encode(stepID, forKey: .stepID)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(replayedAt, forKey: .replayedAt)
    }
}
