import Synchronization

/// The histories of runs asleep, as their last invocation in this process left them, so that
/// the next invocation here neither reloads nor decodes them again.
///
/// An entry is used only by the claim that finds the run's ``RunRecord/historyVersion`` one past
/// the claim of the invocation that kept it: a claim elsewhere (another instance that took the run
/// over) or a dead letter reopened moves the version on further, and the run's history is then
/// read from the store. Only
/// long histories are kept (``minimumSteps``), at most ``capacity`` steps in all; the least
/// recently kept go first.
final class HistoryCache: Sendable {
    /// How many steps all entries hold at most; 0 keeps none.
    let capacity: Int
    /// Histories shorter than this are read from the store again: it costs less than keeping them.
    let minimumSteps: Int
    private let state = Mutex(State())

    private struct State {
        var entries: [WorkflowRunID: (history: CachedHistory, order: Int)] = [:]
        var steps = 0
        var nextOrder = 0
    }

    init(capacity: Int, minimumSteps: Int = 64) {
        self.capacity = capacity
        self.minimumSteps = minimumSteps
    }

    /// The history kept for `runID` at `version`, taken out of the cache; `nil` when none is
    /// kept or the run has changed since.
    func take(_ runID: WorkflowRunID, version: Int) -> CachedHistory? {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: runID) else { return nil }
            state.steps -= entry.history.steps.count
            return entry.history.version == version ? entry.history : nil
        }
    }

    /// Keeps `history` for `runID`'s next invocation, when it is long enough and fits.
    func keep(_ runID: WorkflowRunID, _ history: CachedHistory) {
        let count = history.steps.count
        guard count >= minimumSteps, count <= capacity else { return forget(runID) }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: runID) { state.steps -= old.history.steps.count }
            while state.steps + count > capacity, let oldest = state.entries.min(by: { $0.value.order < $1.value.order }) {
                state.entries[oldest.key] = nil
                state.steps -= oldest.value.history.steps.count
            }
            state.entries[runID] = (history, state.nextOrder)
            state.nextOrder += 1
            state.steps += count
        }
    }

    /// Drops what is kept for `runID` (it ended, or its last invocation could not say what it wrote).
    func forget(_ runID: WorkflowRunID) {
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: runID) { state.steps -= old.history.steps.count }
        }
    }
}

/// A run's history as an invocation left it: its steps by id, the results already decoded, and
/// the history version the next claim of the run must find for the history to be whole.
struct CachedHistory: Sendable {
    var version: Int
    var steps: [String: StepRecord]
    var decoded: [String: any Sendable]
    var nextSequence: Int
}
