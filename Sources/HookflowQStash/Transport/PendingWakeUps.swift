import Crypto
import Foundation
import Hookflow
import Synchronization

/// The future wake-up message of each run, as this instance published it, and the
/// deduplication ids of the wake-ups it cancelled. In memory: after a restart, or on another
/// instance, a superseded wake-up is delivered and dropped instead (and the sweeper restores a
/// wake-up deduplicated onto a cancelled one).
final class PendingWakeUps: Sendable {
    struct WakeUp: Sendable {
        var messageID: String
        /// The key it was scheduled under.
        var key: String
        var wakeAt: Date
    }

    /// More than this many runs or cancelled keys are not tracked.
    static let capacity = 100_000
    private let state = Mutex<(messages: [WorkflowRunID: WakeUp], retired: [String: Int])>(([:], [:]))

    /// Takes the run's wake-up out, and marks its key as spent, unless it was scheduled under `key`.
    func supersede(_ runID: WorkflowRunID, unlessKey key: String) -> WakeUp? {
        let superseded: WakeUp? = state.withLock { state in
            guard let current = state.messages[runID], current.key != key else { return nil }
            state.messages[runID] = nil
            return current
        }
        if let superseded { retire(superseded.key) }
        return superseded
    }

    /// Records `wakeUp` as the run's wake-up unless one that comes no later is recorded (by a
    /// schedule that ran at the same time); returns the one of the two that is not needed.
    func record(_ runID: WorkflowRunID, _ wakeUp: WakeUp) -> WakeUp? {
        state.withLock { state in
            let current = state.messages[runID]
            if let current {
                if current.messageID == wakeUp.messageID { return nil }
                if current.wakeAt <= wakeUp.wakeAt { return wakeUp }
            } else if state.messages.count >= Self.capacity {
                return nil
            }
            state.messages[runID] = wakeUp
            return current
        }
    }

    func remove(_ runID: WorkflowRunID, ifMessage messageID: String) {
        state.withLock { state in
            if state.messages[runID]?.messageID == messageID { state.messages[runID] = nil }
        }
    }

    /// Marks the key of a cancelled message as spent: it is published under another id from now on.
    func retire(_ key: String) {
        let safe = Self.headerSafe(key)
        state.withLock { state in
            if state.retired.count >= Self.capacity { state.retired.removeAll(keepingCapacity: true) }
            state.retired[safe, default: 0] += 1
        }
    }

    /// The deduplication id to publish `key` under: a header-safe form of it (a run id may hold
    /// any Unicode), with a suffix once a message published under it was cancelled.
    func deduplicationID(for key: String) -> String {
        let safe = Self.headerSafe(key)
        let retired = state.withLock { $0.retired[safe] ?? 0 }
        return retired == 0 ? safe : "\(safe):\(retired)"
    }

    /// `key` as it is when it is printable ASCII of at most 200 characters; otherwise a SHA-256 of it.
    static func headerSafe(_ key: String) -> String {
        if key.utf8.count <= 200, key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) { return key }
        return "sha256:" + SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
