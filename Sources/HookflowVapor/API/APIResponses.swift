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
