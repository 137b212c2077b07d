import Foundation
import Hookflow

/// Drives runs through QStash: every invocation is a signed delivery to the app's webhook,
/// `POST {webhookBaseURL}workflow/{workflow_id}/`, and a sleep or a retry back-off is a
/// message held by QStash until its wake time (`Upstash-Not-Before`).
///
/// Messages carry only the run id; the wake-up's key is their deduplication id, so a
/// retried trigger publishes once.
public struct QStashTransport: WorkflowTransport {
    public let client: QStashClient
    /// The public base URL of Hookflow's routes: `HOOKFLOW_DOMAIN` + `HOOKFLOW_WEBHOOK_PATH`.
    public let webhookBaseURL: String

    public init(client: QStashClient, webhookBaseURL: String) {
        self.client = client
        self.webhookBaseURL = webhookBaseURL.hasSuffix("/") ? webhookBaseURL : webhookBaseURL + "/"
    }

    /// Where QStash delivers the invocations of `workflowID`.
    public func webhookURL(for workflowID: String) -> String {
        webhookBaseURL + "workflow/\(workflowID)/"
    }

    public func schedule(_ runID: WorkflowRunID, workflowID: String, at date: Date?, key: String) async throws {
        let body = try JSONEncoder().encode(QStashInvocation(runID: runID.rawValue))
        _ = try await client.publish(QStashPublishRequest(
            destination: webhookURL(for: workflowID), body: body, contentType: "application/json",
            notBefore: date.flatMap { $0 > Date() ? $0 : nil }, deduplicationID: key))
    }
}
