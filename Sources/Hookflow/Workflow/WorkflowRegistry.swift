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

    /// The registered workflows with the versions of runs each replays: what this instance claims.
    public var claimable: ClaimableWorkflows {
        ClaimableWorkflows(versions: entries.mapValues(\.supportedVersions))
    }

    func workflow(_ id: String) -> RegisteredWorkflow? { entries[id] }

    /// Throws ``InvalidParameterError`` naming the first workflow whose concurrency limit is below 1,
    /// or whose rate limit's count or period is not positive.
    public func validate() throws {
        for entry in entries.values.sorted(by: { $0.id < $1.id }) {
            for (name, limit) in [("concurrency", entry.concurrency), ("concurrencyPerKey", entry.concurrencyPerKey)] {
                if let limit, limit < 1 {
                    throw InvalidParameterError(parameter: "\(entry.id).\(name)", value: "\(limit)", reason: "must be at least 1")
                }
            }
            try entry.rateLimit?.validate(as: "\(entry.id).rateLimit")
            try entry.rateLimitPerKey?.validate(as: "\(entry.id).rateLimitPerKey")
        }
    }
}

/// A workflow with its types erased, so runs can be executed from stored JSON.
struct RegisteredWorkflow: Sendable {
    /// A failure handler with its types erased.
    typealias FailureHandler = @Sendable (_ input: String, _ step: StepManager, _ failure: WorkflowError) async throws -> Void

    private static func failureHandler<F: FailureHandlingWorkflow>(_ workflow: F) -> FailureHandler {
        { input, step, failure in
            let data = try JSONCoding.decode(F.Input.self, from: input)
            let context = WorkflowContext(data: data, runID: step.runID, workflowID: F.id, step: step, logger: step.logger)
            try await workflow.onFailure(context, error: failure)
        }
    }

    /// Runs the failure handler; a handler that suspends (a retry, a sleep) suspends the run, one
    /// that fails is noted beside the run's own failure.
    private static func handle(_ failure: WorkflowError, with handler: FailureHandler, input: String, step: StepManager) async throws {
        step.beginFailureHandler()
        do {
            try await handler(input, step, failure)
        } catch is WorkflowSuspension {
            throw WorkflowSuspension()
        } catch {
            step.failureHandlerFailed(error)
        }
    }

    let id: String
    let retryPolicy: RetryPolicy
    let executionTimeout: Duration?
    /// The version stamped on new runs, and the versions of runs this code replays.
    let version: Int
    let supportedVersions: ClosedRange<Int>
    /// ``Workflow/concurrency`` and ``Workflow/concurrencyPerKey``.
    let concurrency: Int?
    let concurrencyPerKey: Int
    /// ``Workflow/rateLimit`` and ``Workflow/rateLimitPerKey``.
    let rateLimit: RateLimit?
    let rateLimitPerKey: RateLimit?
    /// Whether the workflow has a failure handler (``FailureHandlingWorkflow``).
    let hasFailureHandler: Bool
    /// Throws a readable description when `input` does not decode into the workflow's `Input`.
    let validateInput: @Sendable (_ input: String) throws -> Void
    /// Decodes the input, runs the body, and returns the encoded output.
    let execute: @Sendable (_ input: String, _ step: StepManager) async throws -> String

    init<W: Workflow>(_ workflow: W) {
        id = W.id
        retryPolicy = W.retryPolicy
        executionTimeout = W.executionTimeout
        version = W.version
        supportedVersions = W.supportedVersions
        concurrency = W.concurrency
        concurrencyPerKey = W.concurrencyPerKey
        rateLimit = W.rateLimit
        rateLimitPerKey = W.rateLimitPerKey
        let handler: FailureHandler? =
            if let handling = workflow as? any FailureHandlingWorkflow { Self.failureHandler(handling) } else { nil }
        hasFailureHandler = handler != nil
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
            let output: W.Output
            do {
                output = try await workflow.run(context)
            } catch {
                if let handler, let failure = step.failureToHandle(after: error) {
                    try await Self.handle(failure, with: handler, input: input, step: step)
                }
                throw error
            }
            if let handler, step.cancellationDelivered, let failure = step.failureToHandle(after: CancellationError()) {
                try await Self.handle(failure, with: handler, input: input, step: step)
            }
            do { return try JSONCoding.encode(output) } catch {
                throw StepCodingError(
                    workflowID: W.id, runID: step.runID, stepID: "(output)",
                    reason: "the workflow's output does not encode: \(error)")
            }
        }
    }
}
