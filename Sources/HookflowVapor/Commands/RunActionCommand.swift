import Hookflow
import Vapor

/// `hookflow cancel RUN`, `hookflow retry RUN`, `hookflow rerun RUN` and `hookflow fork RUN --from-step STEP`.
struct RunActionCommand: AsyncCommand {
    enum Action: String {
        case cancel, retry, rerun, fork
    }

    struct Signature: CommandSignature {
        @Argument(name: "run", help: "The run's id")
        var run: String

        @Option(name: "from-step", help: "fork: the step the new run executes from")
        var fromStep: String?
    }

    let action: Action

    var help: String {
        switch action {
        case .cancel: "Cancel a run: at once if it is not executing, else at its next step"
        case .retry: "Resume a failed run from the step that failed"
        case .rerun: "Start a new run with the same input"
        case .fork: "Start a new run that keeps the checkpoints before --from-step"
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let engine = try CommandOutput.engine(context)
        let runID = WorkflowRunID(signature.run)
        do {
            switch action {
            case .cancel:
                switch try await engine.cancel(runID) {
                case .cancelled(let run): context.console.print("cancelled: \(run.runID)")
                case .requested(let run): context.console.print("cancelling: \(run.runID) is executing; it stops at its next step")
                case .alreadyFinished(let run):
                    context.console.print("not cancelled: \(run.runID) had already finished (\(run.status.rawValue))")
                }
            case .retry:
                let run = try await engine.retry(runID)
                context.console.print("retried: \(run.runID) is \(run.status.rawValue)")
            case .rerun:
                context.console.print("run_id: \(try await engine.rerun(runID))")
            case .fork:
                guard let step = signature.fromStep else { throw CommandFailure(description: "--from-step is required: the step to fork from") }
                context.console.print("run_id: \(try await engine.fork(runID, fromStep: step))")
            }
        } catch let error as WorkflowRunNotFoundError {
            throw CommandFailure(description: error.description)
        } catch let error as WorkflowRunStateError {
            throw CommandFailure(description: error.description)
        } catch let error as StepNotFoundError {
            throw CommandFailure(description: error.description)
        } catch let error as InvalidIdentifierError {
            throw CommandFailure(description: error.description)
        }
    }
}
