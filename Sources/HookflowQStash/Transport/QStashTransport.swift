import Foundation
import Hookflow

/// Drives runs through QStash: every invocation is a signed delivery to the app's webhook,
/// `POST {webhookBaseURL}workflow/{workflow_id}/`, and a sleep or a retry back-off is a
/// message held by QStash until its wake time (`Upstash-Not-Before`).
///
/// With a database, messages carry only the run id. In stateless mode (`stateless` set)
/// they carry the run's input and steps, checked against `maxPayloadSize` before publishing.
/// The wake-up's key is the deduplication id, so a retried trigger publishes once.
public struct QStashTransport: WorkflowTransport {
    public let client: QStashClient
    /// The public base URL of Hookflow's routes: `HOOKFLOW_DOMAIN` + `HOOKFLOW_WEBHOOK_PATH`.
    public let webhookBaseURL: String
    /// Stateless mode: where runs wait between their messages.
    public let stateless: MessageStateStore?
    /// The largest message body, in bytes.
    public let maxPayloadSize: Int

    public init(
        client: QStashClient, webhookBaseURL: String, stateless: MessageStateStore? = nil,
        maxPayloadSize: Int = 1024 * 1024
    ) {
        self.client = client
        self.webhookBaseURL = webhookBaseURL.hasSuffix("/") ? webhookBaseURL : webhookBaseURL + "/"
        self.stateless = stateless
        self.maxPayloadSize = maxPayloadSize
    }

    /// Where QStash delivers the invocations of `workflowID`.
    public func webhookURL(for workflowID: String) -> String {
        webhookBaseURL + "workflow/\(workflowID)/"
    }

    public func schedule(_ runID: WorkflowRunID, workflowID: String, at date: Date?, key: String) async throws {
        var invocation = QStashInvocation(runID: runID.rawValue)
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
        _ = try await client.publish(QStashPublishRequest(
            destination: webhookURL(for: workflowID), body: body, contentType: "application/json",
            notBefore: date.flatMap { $0 > Date() ? $0 : nil }, deduplicationID: key))
        stateless?.forget(runID)
    }
}
