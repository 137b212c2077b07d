import Foundation

/// What an operator does with runs: find them, count them, retry, re-run or fork them.
extension WorkflowEngine {
    /// The most runs one page may hold.
    public static let maximumPageSize = 1000

    /// The runs that match `filter`, newest first, `limit` (1 to ``maximumPageSize``) at a time;
    /// pass the page's ``RunPage/next`` as `cursor` for the next page.
    ///
    /// ```swift
    /// var page = try await engine.listRuns(RunFilter(statuses: [.failed]), limit: 50)
    /// while let next = page.next { page = try await engine.listRuns(RunFilter(statuses: [.failed]), after: next) }
    /// ```
    public func listRuns(_ filter: RunFilter = RunFilter(), after cursor: ListCursor? = nil, limit: Int = 50) async throws -> RunPage {
        try Self.validate(limit: limit)
        if let prefix = filter.runIDPrefix { try Self.validate(prefix, as: "prefix") }
        if let workflowID = filter.workflowID { try Self.validate(workflowID, as: "workflow") }
        if let parent = filter.parentRunID { try Self.validate(parent.rawValue, as: "parent_run_id") }
        return try await store.listRuns(filter, after: cursor, limit: limit)
    }

    /// The steps of `runID` in execution order, `limit` (1 to ``maximumPageSize``) at a time; pass
    /// the page's ``StepPage/next`` as `cursor` for the next page. An unknown run has none.
    ///
    /// ```swift
    /// var page = try await engine.steps(of: runID, limit: 100)
    /// while let next = page.next { page = try await engine.steps(of: runID, after: next, limit: 100) }
    /// ```
    public func steps(
        of runID: WorkflowRunID, after cursor: StepCursor? = nil, limit: Int = WorkflowEngine.maximumPageSize
    ) async throws -> StepPage {
        try Self.validate(limit: limit)
        // One step more than the page, to tell whether another page follows.
        let rows = try await store.steps(of: runID, afterSequence: cursor?.sequence, limit: limit + 1)
        let steps = Array(rows.prefix(limit))
        return StepPage(steps: steps, next: rows.count > limit ? steps.last.map(StepCursor.init(after:)) : nil)
    }

    /// How many runs each workflow has in each status.
    public func countRunsByStatus() async throws -> [String: [RunStatus: Int]] {
        try await store.countRunsByStatus()
    }

    /// How many times steps were retried: the attempts beyond the first of the steps last
    /// written at `since` or later (a step retried over two hours counts all its retries once
    /// its last attempt falls in the window).
    public func countStepRetries(since: Date) async throws -> Int {
        try await store.countStepRetries(since: since)
    }

    /// Resumes the failed run `runID` from the step that failed, with fresh attempts (its
    /// dead letter is marked replayed). Throws ``WorkflowRunNotFoundError``, or
    /// ``WorkflowRunStateError`` when the run is not failed (another retry got there first, say).
    @discardableResult
    public func retry(_ runID: WorkflowRunID) async throws -> RunRecord {
        try Identifier.validate(runID.rawValue, as: "run id")
        guard let run = try await store.run(runID) else { throw WorkflowRunNotFoundError(runID: runID) }
        let notFailed = { (status: RunStatus) in
            WorkflowRunStateError(runID: runID, status: status, operation: "retry", expected: [.failed])
        }
        guard run.status == .failed else { throw notFailed(run.status) }
        let letters = try await store.listDeadLetters(DeadLetterFilter(runID: runID, replayed: false), after: nil, limit: 1)
        do {
            guard let letter = letters.deadLetters.first else { throw DeadLetterNotFoundError(id: runID.rawValue) }
            return try await replay(letter.id)
        } catch is DeadLetterNotFoundError {
            // Retried (or its dead letter deleted) since it was read.
            throw notFailed(try await store.run(runID)?.status ?? run.status)
        }
    }

    /// Starts a new run of the same workflow with the same input as `runID`; returns its id.
    @discardableResult
    public func rerun(_ runID: WorkflowRunID) async throws -> WorkflowRunID {
        try Identifier.validate(runID.rawValue, as: "run id")
        guard let run = try await store.run(runID) else { throw WorkflowRunNotFoundError(runID: runID) }
        guard registry.workflow(run.workflowID) != nil else {
            throw UnknownWorkflowError(workflowID: run.workflowID, registered: registry.ids)
        }
        return try await createRun(workflowID: run.workflowID, input: run.input, runID: nil, ifExists: .requireSameInput)
    }

    /// Starts a new run of `runID`'s workflow and input that keeps the checkpoints recorded before
    /// `stepID` and executes from that step; returns its id. Throws ``WorkflowRunNotFoundError`` or
    /// ``StepNotFoundError``.
    @discardableResult
    public func fork(_ runID: WorkflowRunID, fromStep stepID: String) async throws -> WorkflowRunID {
        try Identifier.validate(runID.rawValue, as: "run id")
        try Identifier.validate(stepID, as: "step id")
        guard let source = try await store.run(runID) else { throw WorkflowRunNotFoundError(runID: runID) }
        guard registry.workflow(source.workflowID) != nil else {
            throw UnknownWorkflowError(workflowID: source.workflowID, registered: registry.ids)
        }
        let fork = try await store.forkRun(runID, as: .random(), fromStep: stepID, now: now())
        logger.info("run forked", metadata: [
            "hookflow.run_id": "\(fork.runID)", "hookflow.forked_from": "\(runID)", "hookflow.step": "\(stepID)",
        ])
        metrics.increment(.runsTriggered, [("workflow", fork.workflowID)])
        try await transport.schedule(fork.runID, workflowID: fork.workflowID, at: nil, key: fork.runID.rawValue)
        return fork.runID
    }

    /// The dead letters that match `filter`, newest first, `limit` (1 to ``maximumPageSize``) at a time.
    public func listDeadLetters(
        _ filter: DeadLetterFilter = DeadLetterFilter(), after cursor: ListCursor? = nil, limit: Int = 50
    ) async throws -> DeadLetterPage {
        try Self.validate(limit: limit)
        return try await store.listDeadLetters(filter, after: cursor, limit: limit)
    }

    /// Replays a dead letter entry: the run resumes from the step that failed,
    /// with fresh attempts, and completed steps are not run again.
    @discardableResult
    public func replayDeadLetter(id: String) async throws -> WorkflowRunID {
        try await replay(id).runID
    }

    private func replay(_ id: String) async throws -> RunRecord {
        let run = try await store.reopenDeadLetter(id: id, now: now())
        logger.info("dead letter replayed", metadata: ["hookflow.run_id": "\(run.runID)", "hookflow.dead_letter": "\(id)"])
        try await transport.schedule(
            run.runID, workflowID: run.workflowID, at: nil, key: "\(run.runID):replay:\(UUID().uuidString)")
        return run
    }

    static func validate(limit: Int) throws {
        guard (1...maximumPageSize).contains(limit) else {
            throw InvalidParameterError(
                parameter: "limit", value: "\(limit)", reason: "must be between 1 and \(maximumPageSize)")
        }
    }

    static func validate(_ value: String, as parameter: String) throws {
        do {
            try Identifier.validate(value, as: parameter)
        } catch let error as InvalidIdentifierError {
            throw InvalidParameterError(parameter: parameter, value: value, reason: error.reason)
        }
    }
}
