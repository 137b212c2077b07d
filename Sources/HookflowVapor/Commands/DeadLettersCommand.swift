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
