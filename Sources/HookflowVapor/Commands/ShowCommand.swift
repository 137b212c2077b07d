import Hookflow
import Vapor

/// `hookflow show RUN [--json]`: a run and its steps.
struct ShowCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "run", help: "The run's id")
        var run: String

        @Flag(name: "json", help: "Print the run as the status API does")
        var json: Bool
    }

    var help: String { "Show a run and its steps" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let hookflow = context.application.hookflow
        let runID = WorkflowRunID(signature.run)
        guard (try? Identifier.validate(signature.run, as: "run id")) != nil, var status = try await hookflow.status(of: runID)
        else { throw CommandFailure(description: "no run \(StoredText.shown(signature.run))") }
        // Every step, however many pages they fill.
        while let text = status.nextStepsCursor, let cursor = StepCursor(encoded: text),
            let page = try await hookflow.status(of: runID, stepsAfter: cursor)
        {
            status.steps += page.steps
            status.nextStepsCursor = page.nextStepsCursor
        }
        if signature.json {
            context.console.print(try CommandOutput.json(status))
            return
        }
        var lines = [
            "run:      \(status.runID)", "workflow: \(status.workflowID)", "status:   \(status.status.rawValue)",
            "created:  \(status.createdAt)",
        ]
        if let completed = status.completedAt { lines.append("finished: \(completed)") }
        if let wake = status.wakeAt { lines.append("wakes:    \(wake)") }
        if let error = status.errorMessage { lines.append("error:    \(StoredText.shown(error, limit: 500))") }
        context.console.print(lines.joined(separator: "\n"))
        let rows = status.steps.map { step in
            [step.stepID, step.kind.rawValue, step.status.rawValue, "\(step.attempts)", step.executedAt]
        }
        context.console.print("\n" + CommandOutput.table(["STEP", "KIND", "STATUS", "ATTEMPTS", "WRITTEN"], rows))
    }
}
