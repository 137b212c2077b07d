import Foundation
import Hookflow
import Vapor

extension Application.Hookflow {
    /// Mounts Hookflow's JSON API under `{HOOKFLOW_WEBHOOK_PATH}api/` on `routes`: runs (list,
    /// one, cancel, retry, re-run, fork), workflows (counts, trigger), dead letters (list, one,
    /// replay, delete) and schedules (list, one, save, pause, resume, trigger, delete). With `HOOKFLOW_API_TOKEN` set,
    /// every request needs `Authorization: Bearer <token>`; otherwise mount it behind your own
    /// authentication: runs carry their inputs and results. It includes the status API's
    /// `GET …api/runs/{run_id}`, so mount one or the other.
    ///
    /// ```swift
    /// try app.hookflow.mountAPI(on: app.grouped(AdminAuthMiddleware()))
    /// ```
    ///
    /// Its OpenAPI 3.1 document is `GET …api/openapi.json`, served without the token.
    public func mountAPI(on routes: any RoutesBuilder) throws {
        let settings = try runtime.settings()
        var api = routes.grouped(settings.routePath).grouped("api").grouped(APIErrorMiddleware())
        // Before the guard: the document describes routes and holds no data, and a client reads
        // it to learn how to authenticate. It asks for the bearer token only when one is set.
        let guarded = settings.apiToken != nil
        api.get("openapi.json") { request -> Response in try OpenAPIDocument.response(for: request, guarded: guarded) }
        if let token = settings.apiToken { api = api.grouped(BearerTokenGuard(token: token.value)) }
        api.get("runs", use: OperatorAPI.listRuns)
        api.get("runs", ":run_id", use: OperatorAPI.run)
        api.post("runs", ":run_id", ":action", use: OperatorAPI.act)
        api.get("workflows", use: OperatorAPI.workflows)
        api.post("workflows", ":workflow_id", "runs", use: OperatorAPI.trigger)
        api.get("dead-letters", use: OperatorAPI.listDeadLetters)
        api.get("dead-letters", ":id", use: OperatorAPI.deadLetter)
        api.post("dead-letters", ":id", "replay", use: OperatorAPI.replay)
        api.delete("dead-letters", ":id", use: OperatorAPI.deleteDeadLetter)
        api.get("schedules", use: ScheduleAPI.list)
        api.post("schedules", use: ScheduleAPI.save)
        api.get("schedules", ":name", use: ScheduleAPI.show)
        api.post("schedules", ":name", ":action", use: ScheduleAPI.act)
        api.delete("schedules", ":name", use: ScheduleAPI.delete)
    }
}

/// The handlers of Hookflow's JSON API.
enum OperatorAPI {
    static func engine(_ request: Request) throws -> WorkflowEngine { try request.application.hookflow.engine }

    static func listRuns(_ request: Request) async throws -> Response {
        let query = APIQuery(request: request)
        let page = try await engine(request).listRuns(try query.runFilter(), after: try query.cursor(), limit: try query.limit())
        return try APIJSON.response(
            RunListResponse(runs: page.runs.map { RunStatusResponse(run: $0, steps: nil) }, nextCursor: page.next?.encoded))
    }

    /// `GET runs/{id}?steps_limit=&steps_cursor=`: the run and a page of its steps.
    static func run(_ request: Request) async throws -> Response {
        let query = APIQuery(request: request)
        let cursor = try query.stepsCursor()
        let limit = try query.stepsLimit()
        return try APIJSON.response(try await status(of: try runID(request), request, stepsAfter: cursor, stepsLimit: limit))
    }

    /// `POST runs/{id}/cancel`, `…/retry`, `…/rerun` and `…/fork` (body `{"from_step": "charge"}`): the run
    /// they leave (cancelled, or still running until its next step), or the new run. Cancelling a
    /// finished run is a 409 that says so.
    static func act(_ request: Request) async throws -> Response {
        let runID = try runID(request)
        let engine = try engine(request)
        let result = try await RunAction.perform(request.parameters.get("action"), on: runID, engine: engine) {
            struct Fork: Decodable { var from_step: String }
            return try request.content.decode(Fork.self, as: .json).from_step
        }
        return try APIJSON.response(try await status(of: result, request))
    }

    static func workflows(_ request: Request) async throws -> Response {
        let engine = try engine(request)
        let counts = try await engine.countRunsByStatus()
        let ids = Set(engine.registry.ids).union(counts.keys).sorted()
        return try APIJSON.response(WorkflowListResponse(workflows: ids.map { id in
            WorkflowListResponse.Workflow(
                workflowID: id, registered: engine.registry.ids.contains(id),
                counts: Dictionary(uniqueKeysWithValues: (counts[id] ?? [:]).map { ($0.key.rawValue, $0.value) }))
        }))
    }

    /// `POST workflows/{id}/runs` with `{"input": …, "run_id": "…", "concurrency_key": "…", "priority": 0}` (all
    /// but the input optional): 201 with the run.
    static func trigger(_ request: Request) async throws -> Response {
        struct Trigger: Decodable {
            var input: JSON?
            var run_id: String?
            var concurrency_key: String?
            var priority: Int?
        }
        let workflowID = request.parameters.get("workflow_id") ?? ""
        let body = try request.content.decode(Trigger.self, as: .json)
        let runID = try await engine(request).trigger(
            workflowID: workflowID, data: body.input ?? .null, runID: body.run_id.map { WorkflowRunID($0) },
            concurrencyKey: body.concurrency_key, priority: body.priority ?? 0)
        return try APIJSON.response(try await status(of: runID, request), status: .created)
    }

    static func listDeadLetters(_ request: Request) async throws -> Response {
        let query = APIQuery(request: request)
        let page = try await engine(request).listDeadLetters(
            try query.deadLetterFilter(), after: try query.cursor(), limit: try query.limit())
        return try APIJSON.response(
            DeadLetterListResponse(deadLetters: page.deadLetters.map(DeadLetterResponse.init), nextCursor: page.next?.encoded))
    }

    static func deadLetter(_ request: Request) async throws -> Response {
        let id = request.parameters.get("id") ?? ""
        guard let letter = try await engine(request).store.deadLetter(id: id) else { throw DeadLetterNotFoundError(id: id) }
        return try APIJSON.response(DeadLetterResponse(letter))
    }

    static func replay(_ request: Request) async throws -> Response {
        let runID = try await engine(request).replayDeadLetter(id: request.parameters.get("id") ?? "")
        return try APIJSON.response(try await status(of: runID, request))
    }

    static func deleteDeadLetter(_ request: Request) async throws -> Response {
        let id = request.parameters.get("id") ?? ""
        guard try await engine(request).store.deleteDeadLetter(id: id) else { throw DeadLetterNotFoundError(id: id) }
        return Response(status: .noContent)
    }

    private static func runID(_ request: Request) throws -> WorkflowRunID {
        let id = request.parameters.get("run_id") ?? ""
        // An id no run can have is simply not found.
        guard (try? Identifier.validate(id, as: "run id")) != nil else { throw WorkflowRunNotFoundError(runID: WorkflowRunID(id)) }
        return WorkflowRunID(id)
    }

    /// The run with its first page of steps, or the page after `cursor`.
    static func status(
        of runID: WorkflowRunID, _ request: Request, stepsAfter cursor: StepCursor? = nil,
        stepsLimit: Int = WorkflowEngine.maximumPageSize
    ) async throws -> RunStatusResponse {
        guard let status = try await request.application.hookflow.status(of: runID, stepsAfter: cursor, stepsLimit: stepsLimit)
        else { throw WorkflowRunNotFoundError(runID: runID) }
        return status
    }
}
