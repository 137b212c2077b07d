import Foundation
import Hookflow
import Crypto
import Synchronization

/// Drives runs through QStash: every invocation is a signed delivery to the app's webhook,
/// `POST {webhookBaseURL}workflow/{workflow_id}/`, and a sleep or a retry back-off is a
/// message held by QStash until its wake time.
///
/// With a database, messages carry only the run id (and the wake time they are for). In
/// stateless mode (`stateless` set) they carry the run's input and steps, checked against
/// `maxPayloadSize` before publishing. The wake-up's key is the deduplication id, so a
/// retried trigger publishes once.
///
/// A wake-up is published with a delay relative to now (`Upstash-Delay`, whole seconds
/// rounded up) rather than an absolute time, so a clock that differs from QStash's cannot
/// make it arrive early. A run has one next invocation: publishing one for a run cancels
/// the wake-up this instance published for it before (a wait's timeout, once its event
/// woke the run), so a run costs one delivery per durable wait.
public struct QStashTransport: WorkflowTransport {
    public let client: QStashClient
    /// The public base URL of Hookflow's routes: `HOOKFLOW_DOMAIN` + `HOOKFLOW_WEBHOOK_PATH`.
    public let webhookBaseURL: String
    /// Stateless mode: where runs wait between their messages.
    public let stateless: MessageStateStore?
    /// The largest message body, in bytes.
    public let maxPayloadSize: Int
    /// How often ``run(engine:)`` publishes again the runs left with no message coming (a
    /// wake-up in QStash's dead letter queue, a publish that failed), and how long they must have
    /// been overdue; `nil`: never.
    public let sweepInterval: Duration?
    /// The future wake-up published for each run, by message id.
    private let pending: PendingWakeUps

    public init(
        client: QStashClient, webhookBaseURL: String, stateless: MessageStateStore? = nil,
        maxPayloadSize: Int = 1024 * 1024, sweepInterval: Duration? = .seconds(60)
    ) {
        self.sweepInterval = sweepInterval
        self.client = client
        self.webhookBaseURL = webhookBaseURL.hasSuffix("/") ? webhookBaseURL : webhookBaseURL + "/"
        self.stateless = stateless
        self.maxPayloadSize = maxPayloadSize
        self.pending = PendingWakeUps()
    }

    /// Where QStash delivers the invocations of `workflowID`.
    public func webhookURL(for workflowID: String) -> String {
        webhookBaseURL + "workflow/\(workflowID)/"
    }

    public func schedule(_ runID: WorkflowRunID, workflowID: String, at date: Date?, key: String) async throws {
        let now = Date()
        let wake = date.flatMap { $0 > now ? $0 : nil }
        var invocation = QStashInvocation(runID: runID.rawValue, wakeAt: wake)
        if let stateless {
            guard let state = stateless.state(of: runID) else { return }
            invocation.state = state
        }
        let body = try JSONEncoder().encode(invocation)
        if let stateless, body.count > maxPayloadSize {
            // Nothing can carry the run on: it is dropped, and the error names it and its size.
            stateless.forget(runID)
            throw StatelessPayloadTooLargeError(runID: runID.rawValue, size: body.count, limit: maxPayloadSize)
        }
        // A wake-up further away than QStash holds a message arrives early and is published again.
        let delay = wake.map { min(HookflowTime.duration(seconds: $0.timeIntervalSince(now).rounded(.up)), Self.longestDelay) }
        let deduplicationID = pending.deduplicationID(for: key)
        let published = try await client.publish(QStashPublishRequest(
            destination: webhookURL(for: workflowID), body: body, contentType: "application/json",
            delay: delay, deduplicationID: deduplicationID))
        stateless?.forget(runID)
        // A deduplicated publish changed nothing: the message it names is the one already there.
        guard published.deduplicated != true else { return }
        let wakeUp = wake == nil ? nil : PendingWakeUps.WakeUp(messageID: published.messageId, key: key)
        if let superseded = pending.replace(runID, with: wakeUp), superseded.messageID != published.messageId {
            // Best effort: a message already being delivered finds its run awake and is dropped.
            // Its key is not reused, or QStash would deduplicate a later wake-up onto the cancelled message.
            pending.retire(superseded.key)
            try? await client.cancel(superseded.messageID)
        }
    }

    /// Sweeps overdue runs every ``sweepInterval`` until the engine shuts down; QStash's
    /// deliveries do the rest.
    public func run(engine: WorkflowEngine) async {
        await withDiscardingTaskGroup { group in
            if let sweepInterval { group.addTask { await engine.sweepOverdueRuns(every: sweepInterval) } }
            await engine.waitUntilShuttingDown()
            group.cancelAll()
        }
    }

    /// The longest delay published: 7 days, what every QStash plan accepts.
    public static let longestDelay: Duration = .seconds(7 * 86_400)

    /// A delivery of `messageID` began: it is no longer a wake-up to cancel.
    public func delivering(_ runID: WorkflowRunID, messageID: String) {
        pending.remove(runID, ifMessage: messageID)
    }
}

/// The future wake-up message of each run, as this instance published it, and the
/// deduplication ids of the wake-ups it cancelled. In memory: after a restart, or on another
/// instance, a superseded wake-up is delivered and dropped instead (and the sweeper restores a
/// wake-up deduplicated onto a cancelled one).
final class PendingWakeUps: Sendable {
    struct WakeUp: Sendable {
        var messageID: String
        /// The key it was scheduled under.
        var key: String
    }

    /// More than this many runs or cancelled keys are not tracked.
    static let capacity = 100_000
    private let state = Mutex<(messages: [WorkflowRunID: WakeUp], retired: [String: Int])>(([:], [:]))

    /// Records `wakeUp` (or nothing) as the run's wake-up; returns the one it replaces.
    func replace(_ runID: WorkflowRunID, with wakeUp: WakeUp?) -> WakeUp? {
        state.withLock { state in
            guard let wakeUp else { return state.messages.removeValue(forKey: runID) }
            guard state.messages.count < Self.capacity || state.messages[runID] != nil else { return nil }
            return state.messages.updateValue(wakeUp, forKey: runID)
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
