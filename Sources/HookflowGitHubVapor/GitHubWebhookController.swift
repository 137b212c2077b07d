import Foundation
import Hookflow
import HookflowGitHub
import HookflowQStash
import HookflowVapor
import Vapor

/// `POST {HOOKFLOW_WEBHOOK_PATH}github/`: GitHub's webhook deliveries.
///
/// Verifies `X-Hub-Signature-256` with the webhook secret, answers `ping`, ignores a
/// delivery id it has seen (GitHub keeps the id on a redelivery), and on `workflow_run`
/// `completed` wakes the runs waiting for that run. Answers: 200 handled, 202 an event or
/// action with nothing to do (or stateless QStash mode, which keeps no events: there
/// waits poll), 401 unsigned or mis-signed (or no secret configured),
/// 413 over `HOOKFLOW_MAX_PAYLOAD_SIZE`, 400 malformed, 500 store unavailable (redeliver it
/// from GitHub's webhook page).
enum GitHubWebhookController {
    static func deliver(_ request: Request) async throws -> Response {
        let delivery = request.headers.first(name: "X-GitHub-Delivery") ?? ""
        let event = request.headers.first(name: "X-GitHub-Event") ?? ""
        var logger = request.logger
        logger[metadataKey: "github.delivery"] = "\(delivery.isEmpty ? "-" : delivery)"
        logger[metadataKey: "github.event"] = "\(event)"
        let hookflow = request.application.hookflow
        let settings: GitHubState.Resolved
        do {
            settings = try hookflow.gitHubState.resolved()
        } catch {
            logger.error("GitHub delivery refused: \(error)")
            return reply(.internalServerError, ["error": "GitHub settings are invalid"])
        }
        // Where the secret is set, for the log lines that ask to check it.
        let secretSetting = settings.fromEnvironment ? "GITHUB_WEBHOOK_SECRET" : "GitHubSettings.webhookSecret"
        guard let secret = settings.settings.webhookSecret else {
            logger.warning("GitHub delivery refused: \(secretSetting) is not set")
            return reply(.unauthorized, ["error": "unauthorized"])
        }
        let body = request.body.data.map { Data($0.readableBytesView) } ?? Data()
        do {
            try GitHubWebhook(secret: secret).verify(body: body, signature: request.headers.first(name: "X-Hub-Signature-256"))
        } catch {
            logger.warning("GitHub delivery refused: \(error) (the secret is \(secretSetting))")
            return reply(.unauthorized, ["error": "unauthorized"])
        }
        if event == "ping" {
            logger.info("GitHub webhook ping")
            return reply(.ok, ["status": "pong"])
        }
        guard event == "workflow_run" else {
            logger.debug("GitHub delivery ignored: Hookflow acts on workflow_run only")
            return reply(.accepted, ["status": "ignored"])
        }
        let run: GitHubWorkflowRunEvent
        do {
            run = try GitHubWorkflowRunEvent.decode(body)
        } catch {
            logger.warning("GitHub delivery refused: not a workflow_run payload: \(StoredText.shown("\(error)", limit: 300))")
            return reply(.badRequest, ["error": "malformed body"])
        }
        logger[metadataKey: "github.run_id"] = "\(run.workflowRun.id)"
        guard run.action == "completed" else {
            return reply(.accepted, ["status": "ignored"])
        }
        do {
            let engine = try hookflow.engine
            let seen = "github.delivery:\(delivery)"
            if !delivery.isEmpty, try await engine.store.event(key: seen, now: Date()) != nil {
                logger.info("GitHub delivery already handled")
                return reply(.ok, ["status": "duplicate"])
            }
            let woken = try await engine.notify(run)
            if !delivery.isEmpty { try await engine.notify(key: seen, payload: true) }
            logger.info(
                "GitHub run completed", metadata: ["github.conclusion": "\(run.workflowRun.conclusion?.rawValue ?? "-")",
                "hookflow.woken": "\(woken.map(\.rawValue).joined(separator: ","))"])
            return reply(.ok, ["status": "delivered", "woken": "\(woken.count)"])
        } catch let error as StatelessEventsError {
            // Stateless mode keeps no events: waits learn of the end by polling.
            logger.warning(
                "GitHub delivery ignored: \(StoredText.shown("\(error)", limit: 300)) (HOOKFLOW_PERSISTENCE_ENABLED=false)")
            return reply(.accepted, ["status": "ignored"])
        } catch {
            logger.error("GitHub delivery failed: \(error)")
            return reply(.internalServerError, ["error": "try again"])
        }
    }

    private static func reply(_ status: HTTPResponseStatus, _ body: [String: String]) -> Response {
        let response = Response(status: status)
        try? response.content.encode(body, as: .json)
        return response
    }
}
