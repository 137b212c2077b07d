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
        let shown: WorkflowRunID
        switch request.parameters.get("action") {
        case "cancel":
            if case .alreadyFinished(let run) = try await engine.cancel(runID) {
                throw WorkflowRunStateError(
                    runID: runID, status: run.status, operation: "cancel", expected: [.pending, .running, .sleeping])
            }
            shown = runID
        case "retry": shown = try await engine.retry(runID).runID
        case "rerun": shown = try await engine.rerun(runID)
        case "fork":
            let step = try request.content.get(String.self, at: "from_step")
            shown = try await engine.fork(runID, fromStep: step)
        case let other:
            throw APIError(.notFound, "unknown_action", "\(StoredText.shown(other ?? "")) is not cancel, retry, rerun or fork")
        }
        request.logger.info(
            "hookflow dashboard: \(request.parameters.get("action") ?? "") of a run",
            metadata: ["hookflow.run_id": "\(runID)", "hookflow.result_run_id": "\(shown)"])
        return request.redirect(to: context.url("/runs/" + DashboardFormat.pathSegment(shown.rawValue)), redirectType: .normal)
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
        return request.redirect(to: context.url("/runs/" + DashboardFormat.pathSegment(runID.rawValue)), redirectType: .normal)
    }

    /// `POST dead-letters/{id}/replay` (the run's page) and `…/delete` (the dead letters).
    static func deadLetterAction(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        let engine = try request.application.hookflow.engine
        let id = request.parameters.get("id") ?? ""
        switch request.parameters.get("action") {
        case "replay":
            let runID = try await engine.replayDeadLetter(id: id)
            return request.redirect(to: context.url("/runs/" + DashboardFormat.pathSegment(runID.rawValue)), redirectType: .normal)
        case "delete":
            guard try await engine.store.deleteDeadLetter(id: id) else { throw DeadLetterNotFoundError(id: id) }
            return request.redirect(to: context.url("/dead-letters"), redirectType: .normal)
        case let other:
            throw APIError(.notFound, "unknown_action", "\(StoredText.shown(other ?? "")) is not replay or delete")
        }
    }
}

/// Signing in with `HOOKFLOW_API_TOKEN`, when it is set: a form, and a session cookie that
/// holds a keyed hash of the token, never the token.
enum DashboardLogin {
    static func form(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        return page(context, message: nil)
    }

    static func signIn(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        guard let token = request.application.hookflow.configuration?.apiToken?.value else {
            return request.redirect(to: context.url(), redirectType: .normal)
        }
        let given = (try? request.content.get(String.self, at: "token")) ?? ""
        guard BearerTokenGuard.same(given, token) else {
            request.logger.warning("hookflow dashboard: a sign-in with a wrong token")
            return page(context, message: "That is not the HOOKFLOW_API_TOKEN of this app.", status: .unauthorized)
        }
        let response = request.redirect(to: context.url(), redirectType: .normal)
        let guardian = DashboardGuard(base: context.base, apiToken: token)
        response.cookies[DashboardGuard.sessionCookie] = guardian.cookie(DashboardGuard.session(for: token), request)
        return response
    }

    static func signOut(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        let response = request.redirect(to: context.url("/login"), redirectType: .normal)
        response.cookies[DashboardGuard.sessionCookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: context.base)
        return response
    }

    private static func page(_ context: DashboardContext, message: String?, status: HTTPResponseStatus = .ok) -> Response {
        let flash: HTML = message.map { "<div class=\"flash flash-error\">\($0)</div>" } ?? ""
        return DashboardPage(
            title: "Sign in", section: nil,
            content: """
                <div class="page-head"><h1>Sign in</h1><p class="subtitle">This dashboard is guarded by the app's HOOKFLOW_API_TOKEN.</p></div>
                \(flash)
                <form class="login panel" method="post" action="\(context.url("/login"))">\(context.csrfInput)
                <label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
                <button class="btn btn-primary" type="submit">Sign in</button>
                </form>
                """,
            status: Int(status.code)
        ).response(context)
    }
}
