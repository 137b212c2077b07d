import Foundation
import Hookflow

/// The one-step workflow of the demo's `heartbeat` schedule (`HOOKFLOW_DEMO_HEARTBEAT_SECONDS`):
/// each tick starts a run that notes when it beat.
struct Heartbeat: Workflow {
    static let id = "heartbeat"

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("beat") {
            let now = Date()
            ctx.logger.info("heartbeat")
            return now.formatted(.iso8601)
        }
    }
}
