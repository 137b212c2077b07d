import Foundation

/// What operators do: list and count runs, manage dead letters, fork runs, clean up.
extension InMemoryWorkflowStore {
    public func listRuns(_ filter: RunFilter, after cursor: ListCursor?, limit: Int) async throws -> RunPage {
        let matching = state.withLock { state in
            state.runs.values.map(\.record).filter { run in
                filter.matches(run) && (cursor?.precedes(createdAt: run.createdAt, id: run.runID.rawValue) ?? true)
            }
        }
        let (runs, next) = Self.page(matching, limit: limit) { ListCursor(after: $0) }
        return RunPage(runs: runs, next: next)
    }

    public func countRunsByStatus() async throws -> [String: [RunStatus: Int]] {
        state.withLock { state in
            state.runs.values.reduce(into: [:]) { counts, stored in
                counts[stored.record.workflowID, default: [:]][stored.record.status, default: 0] += 1
            }
        }
    }

    public func countStepRetries(since: Date) async throws -> Int {
        state.withLock { state in
            state.steps.values.reduce(0) { total, steps in
                steps.values.reduce(total) { $0 + ($1.attempts > 1 && $1.executedAt >= since ? $1.attempts - 1 : 0) }
            }
        }
    }

    public func listDeadLetters(_ filter: DeadLetterFilter, after cursor: ListCursor?, limit: Int) async throws -> DeadLetterPage {
        let matching = state.withLock { state in
            state.deadLetters.filter { letter in
                filter.matches(letter) && (cursor?.precedes(createdAt: letter.createdAt, id: letter.id) ?? true)
            }
        }
        let (letters, next) = Self.page(matching, limit: limit) { ListCursor(after: $0) }
        return DeadLetterPage(deadLetters: letters, next: next)
    }

    public func deadLetter(id: String) async throws -> DeadLetterRecord? {
        let key = UUID(uuidString: id)?.uuidString ?? id
        return state.withLock { state in state.deadLetters.first { $0.id == key } }
    }

    public func deleteDeadLetter(id: String) async throws -> Bool {
        let key = UUID(uuidString: id)?.uuidString ?? id
        return state.withLock { state in
            guard let index = state.deadLetters.firstIndex(where: { $0.id == key }) else { return false }
            state.deadLetters.remove(at: index)
            return true
        }
    }

    public func forkRun(
        _ runID: WorkflowRunID, as newRunID: WorkflowRunID, fromStep stepID: String, now: Date
    ) async throws -> RunRecord {
        try state.withLock { state in
            guard let source = state.runs[runID]?.record else { throw WorkflowRunNotFoundError(runID: runID) }
            let steps = state.steps[runID] ?? [:]
            guard let fork = steps[stepID] else { throw StepNotFoundError(runID: runID, stepID: stepID) }
            if let existing = state.runs[newRunID]?.record {
                throw WorkflowRunConflictError(
                    runID: newRunID, existingWorkflowID: existing.workflowID, requestedWorkflowID: source.workflowID)
            }
            let run = RunRecord(
                runID: newRunID, workflowID: source.workflowID, status: .pending, input: source.input, createdAt: now)
            state.insert(run, now: now)
            state.steps[newRunID] = steps.filter { $0.value.sequence < fork.sequence }
            return state.runs[newRunID]!.record
        }
    }

    public func deleteFinishedRuns(before: Date, limit: Int, keepingDeadLetters: Bool) async throws -> CleanupReport {
        state.withLock { state in
            let expired = state.runs.values.filter { $0.record.isFinished(before: before) }
                .sorted { $0.record.completedAt! < $1.record.completedAt! }.prefix(max(0, limit)).map(\.record.runID)
            for runID in expired {
                state.runs[runID] = nil
                state.steps[runID] = nil
            }
            var letters = 0
            if !keepingDeadLetters {
                let deleted = Set(expired)
                letters = state.deadLetters.count
                state.deadLetters.removeAll { deleted.contains($0.runID) }
                letters -= state.deadLetters.count
            }
            return CleanupReport(runs: expired.count, deadLetters: letters)
        }
    }

    public func deleteDeadLetters(before: Date, limit: Int) async throws -> Int {
        state.withLock { state in
            let expired = Set(state.deadLetters.filter { $0.createdAt < before }
                .sorted { $0.createdAt < $1.createdAt }.prefix(max(0, limit)).map(\.id))
            state.deadLetters.removeAll { expired.contains($0.id) }
            return expired.count
        }
    }

    public func countExpired(before: Date) async throws -> (runs: Int, deadLetters: Int) {
        state.withLock { state in
            (state.runs.values.filter { $0.record.isFinished(before: before) }.count,
             state.deadLetters.filter { $0.createdAt < before }.count)
        }
    }

    /// Up to `limit` of `entries`, newest first, and the cursor after the last when more follow.
    private static func page<Entry>(
        _ entries: [Entry], limit: Int, cursor: (Entry) -> ListCursor
    ) -> ([Entry], ListCursor?) {
        let sorted = entries.sorted { cursor($0).precedes(createdAt: cursor($1).createdAt, id: cursor($1).id) }
        let page = Array(sorted.prefix(max(0, limit)))
        return (page, sorted.count > page.count ? page.last.map(cursor) : nil)
    }
}

extension RunRecord {
    /// Whether the run finished (completed, failed or was cancelled) before `date`.
    func isFinished(before date: Date) -> Bool {
        status.isFinished && (completedAt.map { $0 < date } ?? false)
    }
}
