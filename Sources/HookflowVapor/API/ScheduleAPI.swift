import Foundation
import Hookflow
import Vapor

/// The schedule handlers of Hookflow's JSON API.
enum ScheduleAPI {
    /// `GET schedules`.
    static func list(_ request: Request) async throws -> Response {
        let records = try await OperatorAPI.engine(request).schedules()
        return try APIJSON.response(ScheduleListResponse(schedules: records.map(ScheduleResponse.init)))
    }

    /// `GET schedules/{name}`.
    static func show(_ request: Request) async throws -> Response {
        try APIJSON.response(ScheduleResponse(try await OperatorAPI.engine(request).schedule(named: name(request))))
    }

    /// `POST schedules` with a ``ScheduleRequest``: 201 with a new schedule, 200 with one changed in place.
    static func save(_ request: Request) async throws -> Response {
        let body = try request.content.decode(ScheduleRequest.self, as: .json)
        let engine = try OperatorAPI.engine(request)
        let existed = try await engine.store.schedule(named: body.name) != nil
        let record = try await engine.saveSchedule(try body.schedule())
        return try APIJSON.response(ScheduleResponse(record), status: existed ? .ok : .created)
    }

    /// `POST schedules/{name}/pause|resume` (the schedule) and `…/trigger` (201 with the new run).
    static func act(_ request: Request) async throws -> Response {
        let engine = try OperatorAPI.engine(request)
        let name = try name(request)
        switch request.parameters.get("action") {
        case "pause": return try APIJSON.response(ScheduleResponse(try await engine.pauseSchedule(name)))
        case "resume": return try APIJSON.response(ScheduleResponse(try await engine.resumeSchedule(name)))
        case "trigger":
            let runID = try await engine.triggerSchedule(name)
            return try APIJSON.response(try await OperatorAPI.status(of: runID, request), status: .created)
        case let other:
            throw APIError(.notFound, "unknown_action", "\(StoredText.shown(other ?? "")) is not pause, resume or trigger")
        }
    }

    /// `DELETE schedules/{name}`: 204; the runs it started are kept.
    static func delete(_ request: Request) async throws -> Response {
        try await OperatorAPI.engine(request).deleteSchedule(try name(request))
        return Response(status: .noContent)
    }

    private static func name(_ request: Request) throws -> String {
        let name = request.parameters.get("name") ?? ""
        // A name no schedule can have is simply not found.
        guard (try? Schedule.validate(name: name)) != nil else { throw ScheduleNotFoundError(name: name) }
        return name
    }
}

/// The body of `POST …api/schedules`.
struct ScheduleRequest: Decodable {
    var name: String
    var workflow_id: String
    var cron: String?
    var time_zone: String?
    var every_seconds: Int64?
    var input: JSON?
    var missed_ticks: String?
    var overlap: String?
    var grace_seconds: Double?

    /// The schedule it asks for; throws ``InvalidParameterError`` naming the field at fault.
    func schedule() throws -> Schedule {
        let spec: ScheduleSpec
        switch (cron, every_seconds) {
        case (let cron?, nil): spec = try .cron(cron, timeZone: time_zone ?? "UTC")
        case (nil, let seconds?):
            guard time_zone == nil else {
                throw InvalidParameterError(parameter: "time_zone", value: time_zone!, reason: "applies to cron schedules only")
            }
            guard seconds >= 1 else { throw InvalidParameterError(parameter: "every_seconds", value: "\(seconds)", reason: "must be at least 1") }
            spec = .every(seconds: seconds)
        default:
            throw InvalidParameterError(
                parameter: "cron", value: cron ?? "", reason: "give exactly one of cron and every_seconds")
        }
        let missed = try missed_ticks.map { text in
            guard let policy = MissedTickPolicy(text) else {
                throw InvalidParameterError(parameter: "missed_ticks", value: text, reason: "must be skip, latest or all:N with N ≥ 1")
            }
            return policy
        } ?? .runLatest
        let overlapPolicy = try overlap.map { text in
            guard let policy = OverlapPolicy(rawValue: text) else {
                throw InvalidParameterError(
                    parameter: "overlap", value: text, reason: "must be one of \(OverlapPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return policy
        } ?? .skip
        let grace = try grace_seconds.map { seconds in
            guard seconds >= 0, seconds.isFinite else {
                throw InvalidParameterError(parameter: "grace_seconds", value: "\(seconds)", reason: "must be a number of seconds ≥ 0")
            }
            return HookflowTime.duration(seconds: seconds)
        } ?? .seconds(60)
        return try Schedule(
            name: name, spec: spec, workflowID: workflow_id, input: try Self.text(of: input ?? .null), missedTicks: missed,
            overlap: overlapPolicy, gracePeriod: grace)
    }

    private static func text(of input: JSON) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(input), as: UTF8.self)
    }
}
