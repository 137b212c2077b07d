import Synchronization

/// What replaying a recorded history found (`WorkflowReplayer`, HookflowTesting): set in the
/// engine's configuration, it makes an invocation stop at the end of the history instead of
/// executing new steps, and notes where the code left the history.
package final class ReplayLog: Sendable {
    package struct Report: Sendable {
        /// Where the code asked for a step the history does not have, while recorded steps remained.
        package var divergence: String?
        /// Recorded steps the code never reached.
        package var unreached: [String] = []
    }

    private let report = Mutex(Report())

    package init() {}

    package var current: Report { report.withLock { $0 } }

    func diverged(_ reason: String) {
        report.withLock { if $0.divergence == nil { $0.divergence = reason } }
    }

    func unreached(_ steps: [String]) {
        report.withLock { $0.unreached = steps }
    }
}

extension StepManager {
    /// The recorded steps the body has not reached in this invocation, in execution order.
    var unreachedSteps: [String] {
        state.withLock { state in
            state.history.values.filter { state.seen[$0.stepID] == nil && $0.status != .abandoned }.sorted { $0.sequence < $1.sequence }.map(\.stepID)
        }
    }

    /// Replaying a history, the body reached step `id` that the history does not have completed:
    /// the replay stops here, and diverges when the history has no such step while others remain.
    func endReplay(at id: String, kind: StepKind, recorded: Bool, log: ReplayLog) -> any Error {
        let remaining = unreachedSteps
        if !recorded, !remaining.isEmpty {
            log.diverged(
                "the code asks for \(kind.rawValue) step '\(id)', which the history does not have; the history's "
                    + "next steps are \(remaining.prefix(3).map { "'\($0)'" }.joined(separator: ", "))")
        }
        state.withLock { state in
            state.abandoned = true
            if state.ended == nil { state.ended = .released }
        }
        return WorkflowSuspension()
    }
}
