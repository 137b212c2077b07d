import Foundation

/// Debounced triggers, as the SQL stores take them.
extension InMemoryWorkflowStore {
    public func debounceRun(_ trigger: DebouncedTrigger, now: Date) async throws -> DebounceOutcome {
        state.withLock { state in
            let waiting = state.runs.values.first { stored in
                stored.debounce?.key == trigger.key && [.sleeping, .queued].contains(stored.record.status)
                    && (state.steps[stored.record.runID] ?? [:]).isEmpty
            }
            if let waiting, let debounce = waiting.debounce {
                let runID = waiting.record.runID
                let start = trigger.start(now: now, deadline: debounce.deadline)
                state.runs[runID]?.record.input = trigger.input
                state.runs[runID]?.record.wakeAt = start
                state.runs[runID]?.updatedAt = now
                return DebounceOutcome(runID: runID, startAt: start, created: false)
            }
            let deadline = trigger.maxWait.map { HookflowTime.date(now, plus: $0) }
            let start = trigger.start(now: now, deadline: deadline)
            state.insert(RunRecord(
                runID: trigger.runID, workflowID: trigger.workflowID, status: trigger.flow.isLimited ? .queued : .sleeping,
                input: trigger.input, wakeAt: start, createdAt: now, traceContext: trigger.traceContext,
                workflowVersion: trigger.workflowVersion, flow: trigger.flow), now: now)
            state.runs[trigger.runID]?.debounce = (trigger.key, deadline)
            state.admit(after: state.runs[trigger.runID]!.record, now: now)
            return DebounceOutcome(runID: trigger.runID, startAt: start, created: true)
        }
    }
}
