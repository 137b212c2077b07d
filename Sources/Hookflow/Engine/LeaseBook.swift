import Foundation
import Synchronization

/// Why an invocation's body must stop before it ends.
enum LeaseInterruption: Sendable {
    /// Another worker may hold the run: nothing more is written.
    case lost
    /// An operator cancelled the run: it is handed back, for an invocation that delivers the cancellation.
    case cancelled
}

/// The leases of the invocations an engine is executing, by lease owner (one per invocation):
/// until when each is known to hold, when it was last extended, and who waits to hear that
/// it was lost or its run cancelled.
final class LeaseBook: Sendable {
    private struct Entry {
        var runID: WorkflowRunID
        /// The lease holds at least until then: the end of the last write that extended it.
        var confirmedUntil: Date
        var lastExtension: Date
        var extending = false
        /// Whether a cancellation interrupts the invocation: not one that is delivering it already.
        var cancellable: Bool
        var interruption: LeaseInterruption?
        var waiters: [UUID: CheckedContinuation<LeaseInterruption?, Never>] = [:]
    }

    private let entries = Mutex<[String: Entry]>([:])

    func track(_ runID: WorkflowRunID, owner: String, until: Date, now: Date, cancellable: Bool) {
        entries.withLock {
            $0[owner] = Entry(runID: runID, confirmedUntil: until, lastExtension: now, cancellable: cancellable)
        }
    }

    func untrack(owner: String) {
        let waiters = entries.withLock { $0.removeValue(forKey: owner)?.waiters ?? [:] }
        for waiter in waiters.values { waiter.resume(returning: nil) }
    }

    /// A write fenced by the lease succeeded: the lease holds until `until`.
    func confirm(owner: String, until: Date) {
        entries.withLock { entries in
            if let current = entries[owner]?.confirmedUntil, until > current { entries[owner]?.confirmedUntil = until }
        }
    }

    /// Whether the lease of `owner` is known to hold at least until `date` (not when the owner is not tracked).
    func holds(owner: String, until date: Date) -> Bool {
        entries.withLock { $0[owner].map { $0.confirmedUntil >= date } ?? false }
    }

    /// The lease is gone: the invocation's body is cancelled and nothing more of it is written.
    func markLost(owner: String) {
        interrupt(owner, .lost)
    }

    /// Why the invocation of `owner` must stop, if it must.
    func interruption(owner: String) -> LeaseInterruption? {
        entries.withLock { $0[owner]?.interruption }
    }

    /// An operator cancelled the run the invocation of `owner` executes (a commit said so).
    func markCancelled(owner: String) {
        interrupt(owner, .cancelled)
    }

    /// An operator cancelled `runID`: interrupts this engine's invocation of it, if any.
    func markCancelled(_ runID: WorkflowRunID) {
        let owners = entries.withLock { entries in entries.filter { $0.value.runID == runID }.map(\.key) }
        for owner in owners { interrupt(owner, .cancelled) }
    }

    private func interrupt(_ owner: String, _ interruption: LeaseInterruption) {
        let waiters = entries.withLock { entries -> [UUID: CheckedContinuation<LeaseInterruption?, Never>] in
            guard let entry = entries[owner], entry.interruption == nil else { return [:] }
            if interruption == .cancelled, !entry.cancellable { return [:] }
            entries[owner]?.interruption = interruption
            entries[owner]?.waiters = [:]
            return entry.waiters
        }
        for waiter in waiters.values { waiter.resume(returning: interruption) }
    }

    /// Returns why the invocation of `owner` must stop, once it must; `nil` once it is no longer
    /// tracked, or the task is cancelled.
    func waitForInterruption(owner: String) async -> LeaseInterruption? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = entries.withLock { entries -> LeaseInterruption?? in
                    guard let entry = entries[owner], !Task.isCancelled else { return .some(nil) }
                    if let interruption = entry.interruption { return interruption }
                    entries[owner]?.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            // Resumed once: taken out here, or by untrack or interrupt, whichever comes first.
            entries.withLock { $0[owner]?.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// At `now`: marks lost the leases that would lapse before `losingBefore` (the next look may
    /// come too late), and returns the others whose last extension began `every` ago or more, with
    /// none under way, marking them as being extended.
    func due(now: Date, every interval: TimeInterval, losingBefore deadline: Date) -> [(WorkflowRunID, String)] {
        var lost: [String] = []
        let due = entries.withLock { entries -> [(WorkflowRunID, String)] in
            var due: [(WorkflowRunID, String)] = []
            for (owner, entry) in entries where entry.interruption != .lost {
                if entry.confirmedUntil < deadline {
                    lost.append(owner)
                } else if !entry.extending, now.timeIntervalSince(entry.lastExtension) >= interval {
                    entries[owner]?.extending = true
                    entries[owner]?.lastExtension = now
                    due.append((entry.runID, owner))
                }
            }
            return due
        }
        for owner in lost { markLost(owner: owner) }
        return due
    }

    func finishedExtending(owner: String) {
        entries.withLock { $0[owner]?.extending = false }
    }
}
