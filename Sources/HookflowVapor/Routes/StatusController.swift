import Hookflow
import Vapor

extension Application.Hookflow {
    /// Mounts the read-only status API, `GET {HOOKFLOW_WEBHOOK_PATH}api/runs/{run_id}`, on `routes`.
    /// A run's steps come a page at a time, as in ``mountAPI(on:)``: `steps_limit` (1 to 1,000,
    /// the most when absent) and `steps_cursor` (the answer's `next_steps_cursor`).
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
            let query = APIQuery(request: request)
            do {
                let cursor = try query.stepsCursor()
                let limit = try query.stepsLimit()
                // An id no run can have (a NUL, too long) is simply not found.
                guard (try? Identifier.validate(id, as: "run id")) != nil,
                    let status = try await request.hookflow.status(of: WorkflowRunID(id), stepsAfter: cursor, stepsLimit: limit)
                else { return try Self.statusError(.notFound, "no run with id \(StoredText.shown(id))") }
                return try await status.encodeResponse(for: request)
            } catch let error as APIError {
                return try Self.statusError(error.status, error.message)
            }
        }
    }

    /// The status API's error: `{"error": "…"}`.
    private static func statusError(_ status: HTTPResponseStatus, _ message: String) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(["error": message], as: .json)
        return response
    }
}
