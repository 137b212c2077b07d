import Foundation
import Hookflow

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
        // The wake-up it replaces is retired before the new message goes out: the new message's delivery
        // can schedule the same wake time again at once, and must not be deduplicated onto the message
        // about to be cancelled (the run would then have none coming).
        let superseded = pending.supersede(runID, unlessKey: key)
        let published = try await client.publish(QStashPublishRequest(
            destination: webhookURL(for: workflowID), body: body, contentType: "application/json",
            delay: delay, deduplicationID: pending.deduplicationID(for: key)))
        stateless?.forget(runID)
        // A deduplicated publish changed nothing: the message it names is the one already there, and
        // the superseded one stays too (an extra delivery finds its run awake and is dropped).
        guard published.deduplicated != true else { return }
        if let superseded, superseded.messageID != published.messageId {
            // Best effort: a message already being delivered finds its run awake and is dropped.
            try? await client.cancel(superseded.messageID)
        }
        guard let wake else { return }
        let wakeUp = PendingWakeUps.WakeUp(messageID: published.messageId, key: key, wakeAt: wake)
        if let unneeded = pending.record(runID, wakeUp) {
            // Two wake-ups published at once: the earlier stays (a run woken early publishes its wake-up again).
            pending.retire(unneeded.key)
            try? await client.cancel(unneeded.messageID)
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
