import Foundation
import Hookflow
import Vapor

/// `hookflow runs [--workflow W] [--status S[,S…]] [--limit N] [--cursor C] [--json]`: runs, newest first.
struct RunsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "workflow", help: "Runs of this workflow only")
        var workflow: String?

        @Option(name: "status", help: "Runs in these statuses only, comma-separated (pending, running, sleeping, completed, failed)")
        var status: String?

        @Option(name: "limit", help: "How many runs, 1 to 1000 (20 when left out)")
        var limit: Int?

        @Option(name: "cursor", help: "Start after the page that printed this cursor")
        var cursor: String?

        @Flag(name: "json", help: "Print JSON instead of a table")
        var json: Bool
    }

    var help: String { "List runs, newest first" }

    func run(using context: CommandContext, signature: Signature) async throws {
        var filter = RunFilter(workflowID: signature.workflow)
        for name in (signature.status ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let status = RunStatus(rawValue: name) else {
                throw CommandFailure(description: "--status: '\(name)' is not one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.statuses.insert(status)
        }
        var cursor: ListCursor?
        if let text = signature.cursor {
            guard let parsed = ListCursor(encoded: text) else { throw CommandFailure(description: "--cursor: '\(text)' is not a cursor this command printed") }
            cursor = parsed
        }
        let page: RunPage
        do {
            page = try await CommandOutput.engine(context).listRuns(filter, after: cursor, limit: signature.limit ?? 20)
        } catch let error as InvalidParameterError {
            throw CommandFailure(description: "--\(error.parameter): \(error.shownValue) \(error.reason)")
        }
        if signature.json {
            let response = RunListResponse(runs: page.runs.map { RunStatusResponse(run: $0, steps: nil) }, nextCursor: page.next?.encoded)
            context.console.print(try CommandOutput.json(response))
            return
        }
        let rows = page.runs.map { run in
            [run.runID.rawValue, run.workflowID, run.status.rawValue, CommandOutput.time(run.createdAt), CommandOutput.time(run.updatedAt)]
        }
        context.console.print(CommandOutput.table(["RUN", "WORKFLOW", "STATUS", "CREATED", "UPDATED"], rows))
        if let next = page.next { context.console.print("more: --cursor \(next.encoded)") }
    }
}
