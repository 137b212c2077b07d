import Foundation
import Hookflow
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
    /// The future wake-up published for each run, by message id.
    private let pending: PendingWakeUps

    public init(
        client: QStashClient, webhookBaseURL: String, stateless: MessageStateStore? = nil,
        maxPayloadSize: Int = 1024 * 1024
    ) {
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
        let delay = wake.map { HookflowTime.duration(seconds: $0.timeIntervalSince(now).rounded(.up)) }
        let published = try await client.publish(QStashPublishRequest(
            destination: webhookURL(for: workflowID), body: body, contentType: "application/json",
            delay: delay, deduplicationID: key))
        stateless?.forget(runID)
        // A deduplicated publish changed nothing: the message it names is the one already there.
        guard published.deduplicated != true else { return }
        if let superseded = pending.replace(runID, with: wake == nil ? nil : published.messageId),
            superseded != published.messageId
        {
            // Best effort: a message already being delivered finds its run awake and is dropped.
            try? await client.cancel(superseded)
        }
    }

    /// A delivery of `messageID` began: it is no longer a wake-up to cancel.
    public func delivering(_ runID: WorkflowRunID, messageID: String) {
        pending.remove(runID, ifMessage: messageID)
    }
}

/// The future wake-up message of each run, as this instance published it. In memory: after a
/// restart, or on another instance, a superseded wake-up is delivered and dropped instead.
final class PendingWakeUps: Sendable {
    /// More than this many sleeping runs are not tracked (their superseded wake-ups are dropped on delivery).
    static let capacity = 100_000
    private let messages = Mutex<[WorkflowRunID: String]>([:])

    /// Records `messageID` (or nothing) as the run's wake-up; returns the one it replaces.
    func replace(_ runID: WorkflowRunID, with messageID: String?) -> String? {
        messages.withLock { messages in
            guard let messageID else { return messages.removeValue(forKey: runID) }
            guard messages.count < Self.capacity || messages[runID] != nil else { return nil }
            return messages.updateValue(messageID, forKey: runID)
        }
    }

    func remove(_ runID: WorkflowRunID, ifMessage messageID: String) {
        messages.withLock { messages in
            if messages[runID] == messageID { messages[runID] = nil }
        }
    }
}
