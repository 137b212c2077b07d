import Foundation
import Synchronization

/// The leases of the runs an engine is executing: until when each is known to hold, whether
/// an extension is under way, and who waits to hear that one was lost.
final class LeaseBook: Sendable {
    private struct Entry {
        var owner: String
        /// The lease holds at least until then: the end of the last write that extended it.
        var confirmedUntil: Date
        var extending = false
        var lost = false
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let entries = Mutex<[WorkflowRunID: Entry]>([:])

    func track(_ runID: WorkflowRunID, owner: String, until: Date) {
        entries.withLock { $0[runID] = Entry(owner: owner, confirmedUntil: until) }
    }

    func untrack(_ runID: WorkflowRunID) {
        let waiters = entries.withLock { $0.removeValue(forKey: runID)?.waiters ?? [:] }
        for waiter in waiters.values { waiter.resume() }
    }

    /// A write fenced by the lease succeeded: the lease holds until `until`.
    func confirm(_ runID: WorkflowRunID, until: Date) {
        entries.withLock { entries in
            if let current = entries[runID]?.confirmedUntil, until > current { entries[runID]?.confirmedUntil = until }
        }
    }

    /// The lease is gone: the invocation's body is cancelled and nothing more of it is written.
    func markLost(_ runID: WorkflowRunID) {
        let waiters = entries.withLock { entries -> [UUID: CheckedContinuation<Void, Never>] in
            guard entries[runID] != nil else { return [:] }
            entries[runID]?.lost = true
            defer { entries[runID]?.waiters = [:] }
            return entries[runID]?.waiters ?? [:]
        }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Returns once the lease of `runID` is lost, or the run is no longer tracked, or the task is cancelled.
    func waitUntilLost(_ runID: WorkflowRunID) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = entries.withLock { entries -> Bool in
                    guard let entry = entries[runID], !entry.lost, !Task.isCancelled else { return true }
                    entries[runID]?.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            // Resumed once: taken out here, or by untrack or markLost, whichever comes first.
            entries.withLock { $0[runID]?.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// The runs whose lease needs an extension now (none under way), and marks them as being extended.
    /// Runs whose lease would lapse before `deadline` are marked lost instead.
    func due(losingBefore deadline: Date) -> [(WorkflowRunID, String)] {
        var lost: [WorkflowRunID] = []
        let due = entries.withLock { entries -> [(WorkflowRunID, String)] in
            var due: [(WorkflowRunID, String)] = []
            for (runID, entry) in entries where !entry.lost {
                if entry.confirmedUntil < deadline {
                    lost.append(runID)
                } else if !entry.extending {
                    entries[runID]?.extending = true
                    due.append((runID, entry.owner))
                }
            }
            return due
        }
        for runID in lost { markLost(runID) }
        return due
    }

    func finishedExtending(_ runID: WorkflowRunID) {
        entries.withLock { $0[runID]?.extending = false }
    }
}
