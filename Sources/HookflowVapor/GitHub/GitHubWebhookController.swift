import Foundation
import Hookflow
import HookflowGitHub
import HookflowQStash
import Vapor

/// `POST {HOOKFLOW_WEBHOOK_PATH}github/`: GitHub's webhook deliveries.
///
/// Verifies `X-Hub-Signature-256` with `GITHUB_WEBHOOK_SECRET`, answers `ping`, ignores a
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
        let secret: String?
        do {
            secret = try hookflow.gitHubWebhookSecret
        } catch {
            logger.error("GitHub delivery refused: \(error)")
            return WebhookController.reply(.internalServerError, ["error": "GitHub settings are invalid"])
        }
        guard let secret else {
            logger.warning("GitHub delivery refused: GITHUB_WEBHOOK_SECRET is not set")
            return WebhookController.reply(.unauthorized, ["error": "unauthorized"])
        }
        let body = request.body.data.map { Data($0.readableBytesView) } ?? Data()
        do {
            try GitHubWebhook(secret: secret).verify(body: body, signature: request.headers.first(name: "X-Hub-Signature-256"))
        } catch {
            logger.warning("GitHub delivery refused: \(error)")
            return WebhookController.reply(.unauthorized, ["error": "unauthorized"])
        }
        if event == "ping" {
            logger.info("GitHub webhook ping")
            return WebhookController.reply(.ok, ["status": "pong"])
        }
        guard event == "workflow_run" else {
            logger.debug("GitHub delivery ignored: Hookflow acts on workflow_run only")
            return WebhookController.reply(.accepted, ["status": "ignored"])
        }
        let run: GitHubWorkflowRunEvent
        do {
            run = try GitHubWorkflowRunEvent.decode(body)
        } catch {
            logger.warning("GitHub delivery refused: not a workflow_run payload: \(StoredText.shown("\(error)", limit: 300))")
            return WebhookController.reply(.badRequest, ["error": "malformed body"])
        }
        logger[metadataKey: "github.run_id"] = "\(run.workflowRun.id)"
        guard run.action == "completed" else {
            return WebhookController.reply(.accepted, ["status": "ignored"])
        }
        do {
            let engine = try hookflow.engine
            let seen = "github.delivery:\(delivery)"
            if !delivery.isEmpty, try await engine.store.event(key: seen, now: Date()) != nil {
                logger.info("GitHub delivery already handled")
                return WebhookController.reply(.ok, ["status": "duplicate"])
            }
            let woken = try await engine.notify(run)
            if !delivery.isEmpty { try await engine.notify(key: seen, payload: true) }
            logger.info(
                "GitHub run completed", metadata: ["github.conclusion": "\(run.workflowRun.conclusion?.rawValue ?? "-")",
                "hookflow.woken": "\(woken.map(\.rawValue).joined(separator: ","))"])
            return WebhookController.reply(.ok, ["status": "delivered", "woken": "\(woken.count)"])
        } catch let error as StatelessEventsError {
            // Stateless mode keeps no events: waits learn of the end by polling.
            logger.warning("GitHub delivery ignored: \(StoredText.shown("\(error)", limit: 300))")
            return WebhookController.reply(.accepted, ["status": "ignored"])
        } catch {
            logger.error("GitHub delivery failed: \(error)")
            return WebhookController.reply(.internalServerError, ["error": "try again"])
        }
    }
}
