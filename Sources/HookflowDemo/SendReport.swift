import Synchronization
import Foundation
import Hookflow

/// An untyped workflow (`ctx.data["email"]`) whose render step fails twice before it
/// succeeds, to show durable retries with back-off in the log and the status API.
struct SendReport: Workflow {
    static let id = "send-report"

    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        let email = ctx.data["email"].stringValue ?? "nobody@example.com"
        let rows = try await ctx.step.run("collect") { 42 }
        let attempts = try await ctx.step.run(
            "render", retry: .exponential(maxAttempts: 4, initialDelay: .seconds(1))
        ) { () -> Int in
            let attempt = RenderAttempts.next(ctx.runID)
            if attempt < 3 { throw RenderError(attempt: attempt) }
            return attempt
        }
        try await ctx.step.run("send") { ctx.logger.info("report with \(rows) rows sent to \(email)") }
        return ["sent_to": .string(email), "rows": .integer(Int64(rows)), "render_attempts": .integer(Int64(attempts))]
    }
}

struct RenderError: Error, CustomStringConvertible {
    let attempt: Int
    var description: String { "renderer busy (attempt \(attempt))" }
}

/// Counts render attempts per run in this process, so the demo's flaky step fails twice.
enum RenderAttempts {
    private static let counts = Mutex<[WorkflowRunID: Int]>([:])

    static func next(_ runID: WorkflowRunID) -> Int {
        counts.withLock { counts in
            counts[runID, default: 0] += 1
            return counts[runID]!
        }
    }
}
