import Hookflow
import Vapor

extension Application.Hookflow {
    /// Mounts the read-only status API, `GET {HOOKFLOW_WEBHOOK_PATH}api/runs/{run_id}`, on `routes`.
    ///
    /// Runs carry their inputs and results: mount it behind the middleware your app
    /// uses for internal endpoints. Throws ``HookflowConfigurationError`` when a `HOOKFLOW_*`
    /// setting is wrong.
    ///
    /// ```swift
    /// try app.hookflow.mountStatusAPI(on: app.grouped(AdminMiddleware()))
    /// ```
    public func mountStatusAPI(on routes: any RoutesBuilder) throws {
        routes.grouped(try runtime.settings().routePath).get("api", "runs", ":run_id") { request async throws -> Response in
            guard let id = request.parameters.get("run_id"), !id.isEmpty else { throw Abort(.badRequest) }
            // An id no run can have (a NUL, too long) is simply not found.
            guard (try? Identifier.validate(id, as: "run id")) != nil,
                let status = try await request.hookflow.status(of: WorkflowRunID(id))
            else {
                let response = Response(status: .notFound)
                try response.content.encode(["error": "no run with id \(StoredText.shown(id))"], as: .json)
                return response
            }
            return try await status.encodeResponse(for: request)
        }
    }
}
