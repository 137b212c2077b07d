import Foundation
import Hookflow
import HookflowQStash
import Vapor

extension Application.Hookflow {
    /// Mounts the QStash webhook, `POST {HOOKFLOW_WEBHOOK_PATH}workflow/{workflow_id}/`, on `routes`.
    ///
    /// Every delivery is verified (`Upstash-Signature`, against `HOOKFLOW_DOMAIN` plus the
    /// path) before anything runs. The run's lease decides who executes, so a duplicate
    /// delivery, or two at once, never runs a checkpointed step twice. Answers:
    /// 401 unsigned or mis-signed, 413 over `HOOKFLOW_MAX_PAYLOAD_SIZE`, 400 malformed,
    /// 489 with `Upstash-NonRetryable-Error` for an unknown workflow or run (QStash stops
    /// retrying), 500 when the store or a publish failed (QStash retries). An invocation that could not
    /// write schedules its own retry after a back-off and answers 200. Reasons go to the log.
    ///
    /// Throws ``HookflowConfigurationError`` when a `HOOKFLOW_*` setting is wrong.
    public func mountWebhooks(on routes: any RoutesBuilder) throws {
        try mountWebhook("workflow", ":workflow_id", on: routes) { request in try await WebhookController.deliver(request) }
    }

    /// Mounts `POST {HOOKFLOW_WEBHOOK_PATH}<path>` on `routes`, accepting bodies up to
    /// `HOOKFLOW_MAX_PAYLOAD_SIZE` (413 above): how a module adds its webhook beside Hookflow's.
    ///
    /// ```swift
    /// try app.hookflow.mountWebhook("github", on: app) { request in try await deliver(request) }
    /// ```
    ///
    /// Throws ``HookflowConfigurationError`` when a `HOOKFLOW_*` setting is wrong.
    public func mountWebhook(
        _ path: PathComponent..., on routes: any RoutesBuilder,
        use handler: @escaping @Sendable (Request) async throws -> Response
    ) throws {
        let settings = try runtime.settings()
        routes.grouped(settings.routePath).on(
            .POST, path, body: .collect(maxSize: ByteCount(value: settings.maxPayloadSize)), use: handler)
    }
}

enum WebhookController {
    static func deliver(_ request: Request) async throws -> Response {
        var logger = request.logger
        logger[metadataKey: "hookflow.qstash_message_id"] = "\(request.headers.first(name: "Upstash-Message-Id") ?? "-")"
        let started = try request.application.hookflow.runtime.started()
        let metrics = started.engine.configuration.metrics
        let count = { (outcome: String) in metrics.increment(.qstashDeliveries, [("outcome", outcome)]) }
        guard case .qstash(let delivery) = started.transport else {
            logger.warning("QStash delivery refused: the QStash transport is not enabled (HOOKFLOW_TRANSPORT)")
            count("489")
            return nonRetryable()
        }
        let body = request.body.data.map { Array($0.readableBytesView) } ?? []
        do {
            try await delivery.receiver.verify(
                signature: request.headers.first(name: "Upstash-Signature"), body: body,
                url: delivery.settings.domain + request.url.path)
        } catch {
            logger.warning("QStash delivery refused: \(StoredText.shown("\(error)", limit: 300))")
            count("refused")
            return reply(.unauthorized, ["error": "unauthorized"])
        }
        guard let invocation = try? JSONDecoder().decode(QStashInvocation.self, from: Data(body)),
            (try? Identifier.validate(invocation.runID, as: "run id")) != nil
        else {
            logger.warning("QStash delivery refused: the body is not {\"run_id\": ...}")
            count("refused")
            return reply(.badRequest, ["error": "malformed body"])
        }
        let workflowID = request.parameters.get("workflow_id") ?? ""
        let runID = WorkflowRunID(invocation.runID)
        logger[metadataKey: "hookflow.run_id"] = "\(runID)"
        if let stateless = delivery.stateless {
            guard let state = invocation.state else {
                logger.warning("QStash delivery refused: stateless mode needs the run's state in the message")
                count("refused")
                return reply(.badRequest, ["error": "malformed body"])
            }
            stateless.load(runID, state)
        }
        defer { delivery.stateless?.forget(runID) }
        guard started.engine.registry.ids.contains(workflowID) else {
            logger.error("QStash delivery refused: unknown workflow \(StoredText.shown(workflowID))")
            count("489")
            return nonRetryable()
        }
        let stored: RunRecord?
        do {
            stored = try await started.store.run(runID)
        } catch {
            count("error")
            throw error
        }
        guard let run = stored, run.workflowID == workflowID else {
            logger.error("QStash delivery refused: no run \(runID) of workflow \(StoredText.shown(workflowID))")
            count("489")
            return nonRetryable()
        }
        let deadline = ContinuousClock.now + delivery.settings.invocationBudget
        if let messageID = request.headers.first(name: "Upstash-Message-Id") {
            delivery.transport.delivering(runID, messageID: messageID)
        }
        let executed: InvocationOutcome?
        do {
            executed = try await started.engine.executeRun(
                runID, scheduledFor: invocation.wakeAt, earlyTolerance: delivery.settings.clockTolerance,
                shouldStop: { ContinuousClock.now >= deadline })
        } catch let error as StatelessPayloadTooLargeError {
            // Retrying would replay the old message and run its steps again: stop here.
            logger.error("QStash delivery ends the run: \(error.reason)")
            count("489")
            return nonRetryable()
        } catch {
            // QStash retries the delivery; the retry schedules what this one could not.
            logger.error("QStash delivery failed, QStash will retry it: \(error)")
            count("error")
            return reply(.internalServerError, ["error": "try again"])
        }
        guard let outcome = executed else {
            logger.debug("QStash delivery skipped: the run is not runnable (finished, asleep, or held by another worker)")
            count("duplicate")
            return reply(.ok, ["outcome": "not-runnable"])
        }
        // A store failure has its retry scheduled after a back-off (executeRun threw if it could not be).
        count("accepted")
        return reply(.ok, ["outcome": "\(outcome)"])
    }

    private static func nonRetryable() -> Response {
        let response = reply(.init(statusCode: 489), ["error": "not deliverable"])
        response.headers.replaceOrAdd(name: "Upstash-NonRetryable-Error", value: "true")
        return response
    }

    static func reply(_ status: HTTPResponseStatus, _ body: [String: String]) -> Response {
        let response = Response(status: status)
        try? response.content.encode(body, as: .json)
        return response
    }
}
