import Foundation
import Hookflow
import HookflowDashboard
import Vapor

/// The dashboard's buttons: each a POST that answers `303 See Other` with the page to show next.
enum DashboardActions {
    /// `POST runs/{id}/cancel|retry|rerun|fork` (fork with a `from_step` field): the run's page,
    /// or the new run's.
    static func runAction(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        let engine = try request.application.hookflow.engine
        let runID = WorkflowRunID(request.parameters.get("run_id") ?? "")
        let shown = try await RunAction.perform(request.parameters.get("action"), on: runID, engine: engine) {
            try request.content.get(String.self, at: "from_step")
        }
        request.logger.info(
            "hookflow dashboard: \(request.parameters.get("action") ?? "") of a run",
            metadata: ["hookflow.run_id": "\(runID)", "hookflow.result_run_id": "\(shown)"])
        return request.redirect(to: context.runURL(shown.rawValue), redirectType: .normal)
    }

    /// `POST workflows/{id}/runs` with `input` (JSON text, `{}` when empty) and an optional `run_id`:
    /// the new run's page.
    static func trigger(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        let workflowID = request.parameters.get("workflow_id") ?? ""
        let text = (try? request.content.get(String.self, at: "input"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let input: JSON
        do {
            input = text.isEmpty ? .object([:]) : try JSONDecoder().decode(JSON.self, from: Data(text.utf8))
        } catch {
            throw APIError(.badRequest, "invalid_body", "the input \(StoredText.shown(text, limit: 80)) is not JSON")
        }
        let given = (try? request.content.get(String.self, at: "run_id")).flatMap { $0.isEmpty ? nil : WorkflowRunID($0) }
        let runID = try await request.application.hookflow.engine.trigger(workflowID: workflowID, data: input, runID: given)
        return request.redirect(to: context.runURL(runID.rawValue), redirectType: .normal)
    }

    /// `POST dead-letters/{id}/replay` (the run's page) and `…/delete` (the dead letters).
    static func deadLetterAction(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        let engine = try request.application.hookflow.engine
        let id = request.parameters.get("id") ?? ""
        switch request.parameters.get("action") {
        case "replay":
            let runID = try await engine.replayDeadLetter(id: id)
            return request.redirect(to: context.runURL(runID.rawValue), redirectType: .normal)
        case "delete":
            guard try await engine.store.deleteDeadLetter(id: id) else { throw DeadLetterNotFoundError(id: id) }
            return request.redirect(to: returnTo(request, context, else: context.url("/dead-letters")), redirectType: .normal)
        case let other:
            throw APIError(.notFound, "unknown_action", "\(StoredText.shown(other ?? "")) is not replay or delete")
        }
    }

    /// `POST schedules/{name}/pause|resume|delete` (the schedules, or the page it was pressed on)
    /// and `…/trigger` (the new run's page).
    static func scheduleAction(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        let engine = try request.application.hookflow.engine
        let name = request.parameters.get("name") ?? ""
        let action = request.parameters.get("action")
        var metadata: Logger.Metadata = ["hookflow.schedule": "\(name)"]
        let next: String
        switch action {
        case "pause":
            try await engine.pauseSchedule(name)
            next = returnTo(request, context, else: context.url("/schedules"))
        case "resume":
            try await engine.resumeSchedule(name)
            next = returnTo(request, context, else: context.url("/schedules"))
        case "trigger":
            let runID = try await engine.triggerSchedule(name)
            metadata["hookflow.result_run_id"] = "\(runID)"
            next = context.runURL(runID.rawValue)
        case "delete":
            try await engine.deleteSchedule(name)
            next = returnTo(request, context, else: context.url("/schedules"))
        case let other:
            throw APIError(.notFound, "unknown_action", "\(StoredText.shown(other ?? "")) is not pause, resume, trigger or delete")
        }
        request.logger.info("hookflow dashboard: \(action ?? "") of a schedule", metadata: metadata)
        return request.redirect(to: next, redirectType: .normal)
    }

    /// The page the form says to show next (`return_to`), when it is one of the dashboard's; else `fallback`.
    static func returnTo(_ request: Request, _ context: DashboardContext, else fallback: String) -> String {
        guard let target = try? request.content.get(String.self, at: DashboardContext.returnField), context.isOwnPage(target)
        else { return fallback }
        return target
    }
}
