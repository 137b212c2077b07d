/// The workflows an engine can execute, by id.
public struct WorkflowRegistry: Sendable {
    private var entries: [String: RegisteredWorkflow] = [:]

    public init() {}

    /// Adds a workflow. Registering a second workflow under the same id replaces the first.
    public mutating func register<W: Workflow>(_ workflow: W) {
        entries[W.id] = RegisteredWorkflow(workflow)
    }

    /// The ids of every registered workflow, sorted.
    public var ids: [String] { entries.keys.sorted() }

    func workflow(_ id: String) -> RegisteredWorkflow? { entries[id] }
}

/// A workflow with its types erased, so runs can be executed from stored JSON.
struct RegisteredWorkflow: Sendable {
    let id: String
    let retryPolicy: RetryPolicy
    let executionTimeout: Duration?
    /// Throws a readable description when `input` does not decode into the workflow's `Input`.
    let validateInput: @Sendable (_ input: String) throws -> Void
    /// Decodes the input, runs the body, and returns the encoded output.
    let execute: @Sendable (_ input: String, _ step: StepManager) async throws -> String

    init<W: Workflow>(_ workflow: W) {
        id = W.id
        retryPolicy = W.retryPolicy
        executionTimeout = W.executionTimeout
        validateInput = { input in
            do { _ = try JSONCoding.decode(W.Input.self, from: input) } catch {
                throw WorkflowInputError(workflowID: W.id, runID: nil, reason: JSONCoding.describe(error))
            }
        }
        execute = { input, step in
            let data: W.Input
            do { data = try JSONCoding.decode(W.Input.self, from: input) } catch {
                throw WorkflowInputError(workflowID: W.id, runID: step.runID, reason: JSONCoding.describe(error))
            }
            let context = WorkflowContext(data: data, runID: step.runID, workflowID: W.id, step: step, logger: step.logger)
            let output = try await workflow.run(context)
            do { return try JSONCoding.encode(output) } catch {
                throw StepCodingError(
                    workflowID: W.id, runID: step.runID, stepID: "(output)",
                    reason: "the workflow's output does not encode: \(error)")
            }
        }
    }
}
