import Foundation
import Synchronization

/// The leases of the invocations an engine is executing, by lease owner (one per invocation):
/// until when each is known to hold, when it was last extended, and who waits to hear that
/// it was lost.
final class LeaseBook: Sendable {
    private struct Entry {
        var runID: WorkflowRunID
        /// The lease holds at least until then: the end of the last write that extended it.
        var confirmedUntil: Date
        var lastExtension: Date
        var extending = false
        var lost = false
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let entries = Mutex<[String: Entry]>([:])

    func track(_ runID: WorkflowRunID, owner: String, until: Date, now: Date) {
        entries.withLock { $0[owner] = Entry(runID: runID, confirmedUntil: until, lastExtension: now) }
    }

    func untrack(owner: String) {
        let waiters = entries.withLock { $0.removeValue(forKey: owner)?.waiters ?? [:] }
        for waiter in waiters.values { waiter.resume() }
    }

    /// A write fenced by the lease succeeded: the lease holds until `until`.
    func confirm(owner: String, until: Date) {
        entries.withLock { entries in
            if let current = entries[owner]?.confirmedUntil, until > current { entries[owner]?.confirmedUntil = until }
        }
    }

    /// The lease is gone: the invocation's body is cancelled and nothing more of it is written.
    func markLost(owner: String) {
        let waiters = entries.withLock { entries -> [UUID: CheckedContinuation<Void, Never>] in
            guard entries[owner] != nil else { return [:] }
            entries[owner]?.lost = true
            defer { entries[owner]?.waiters = [:] }
            return entries[owner]?.waiters ?? [:]
        }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Returns once the lease of `owner` is lost, or it is no longer tracked, or the task is cancelled.
    func waitUntilLost(owner: String) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = entries.withLock { entries -> Bool in
                    guard let entry = entries[owner], !entry.lost, !Task.isCancelled else { return true }
                    entries[owner]?.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            // Resumed once: taken out here, or by untrack or markLost, whichever comes first.
            entries.withLock { $0[owner]?.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// At `now`: marks lost the leases that would lapse before `losingBefore` (the next look may
    /// come too late), and returns the others whose last extension began `every` ago or more, with
    /// none under way, marking them as being extended.
    func due(now: Date, every interval: TimeInterval, losingBefore deadline: Date) -> [(WorkflowRunID, String)] {
        var lost: [String] = []
        let due = entries.withLock { entries -> [(WorkflowRunID, String)] in
            var due: [(WorkflowRunID, String)] = []
            for (owner, entry) in entries where !entry.lost {
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
