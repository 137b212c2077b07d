import Foundation
import Hookflow
import Vapor

/// `hookflow dead-letters [--workflow W] [--limit N] [--replay ID] [--delete ID] [--json]`.
struct DeadLettersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "workflow", help: "Entries of this workflow only")
        var workflow: String?

        @Option(name: "limit", help: "How many entries, 1 to 1000 (20 when left out)")
        var limit: Int?

        @Option(name: "replay", help: "Replay this entry: its run resumes from the failed step")
        var replay: String?

        @Option(name: "delete", help: "Delete this entry (its run stays failed)")
        var delete: String?

        @Flag(name: "json", help: "Print JSON instead of a table")
        var json: Bool
    }

    var help: String { "List, replay or delete dead letters" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let engine = try CommandOutput.engine(context)
        if let id = signature.replay {
            do {
                context.console.print("replayed: run \(try await engine.replayDeadLetter(id: id)) is pending")
            } catch let error as DeadLetterNotFoundError {
                throw CommandFailure(description: error.description)
            }
            return
        }
        if let id = signature.delete {
            guard try await engine.store.deleteDeadLetter(id: id) else {
                throw CommandFailure(description: "no dead letter \(StoredText.shown(id))")
            }
            context.console.print("deleted: \(id)")
            return
        }
        let page: DeadLetterPage
        do {
            page = try await engine.listDeadLetters(DeadLetterFilter(workflowID: signature.workflow), limit: signature.limit ?? 20)
        } catch let error as InvalidParameterError {
            throw CommandFailure(description: "--\(error.parameter): \(error.shownValue) \(error.reason)")
        }
        if signature.json {
            context.console.print(try CommandOutput.json(page.deadLetters.map(DeadLetterResponse.init)))
            return
        }
        let rows = page.deadLetters.map { letter in
            [
                letter.id, letter.runID.rawValue, letter.workflowID, letter.stepID ?? "-", CommandOutput.time(letter.createdAt),
                letter.replayedAt == nil ? "no" : "yes", StoredText.shown(letter.errorMessage, limit: 60),
            ]
        }
        context.console.print(CommandOutput.table(["ID", "RUN", "WORKFLOW", "STEP", "CREATED", "REPLAYED", "ERROR"], rows))
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
