import Foundation
import Hookflow
import Vapor

/// The query parameters of the API's listings and of a run's steps, checked: a value that
/// cannot be used is a 400 naming the parameter.
struct APIQuery {
    let request: Request

    func text(_ name: String) -> String? {
        request.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `limit`: 1 to ``WorkflowEngine/maximumPageSize``, 50 when absent.
    func limit() throws -> Int {
        try pageSize("limit", absent: 50)
    }

    func cursor() throws -> ListCursor? {
        guard let text = text("cursor") else { return nil }
        guard let cursor = ListCursor(encoded: text) else {
            throw APIError.parameter("cursor", text, "is not a next_cursor this API answered")
        }
        return cursor
    }

    /// `steps_limit`: how many of a run's steps one answer holds, 1 to
    /// ``WorkflowEngine/maximumPageSize``, the most when absent.
    func stepsLimit() throws -> Int {
        try pageSize("steps_limit", absent: WorkflowEngine.maximumPageSize)
    }

    /// `steps_cursor`: where the page of a run's steps starts.
    func stepsCursor() throws -> StepCursor? {
        guard let text = text("steps_cursor") else { return nil }
        guard let cursor = StepCursor(encoded: text) else {
            throw APIError.parameter("steps_cursor", text, "is not a next_steps_cursor this API answered")
        }
        return cursor
    }

    private func pageSize(_ name: String, absent: Int) throws -> Int {
        guard let text = text(name) else { return absent }
        guard let size = Int(text), (1...WorkflowEngine.maximumPageSize).contains(size) else {
            throw APIError.parameter(name, text, "must be a whole number from 1 to \(WorkflowEngine.maximumPageSize)")
        }
        return size
    }

    /// An ISO 8601 time (`2026-12-02T10:00:00Z`, fractional seconds allowed).
    func date(_ name: String) throws -> Date? {
        guard let text = text(name) else { return nil }
        guard let date = HookflowTime.parseISO8601(text) else {
            throw APIError.parameter(name, text, "is not an ISO 8601 time such as 2026-12-02T10:00:00Z")
        }
        return date
    }

    /// `status`: one or several statuses, comma-separated.
    func statuses() throws -> Set<RunStatus> {
        try RunStatus.list(text("status") ?? "")
    }

    func runFilter() throws -> RunFilter {
        RunFilter(
            workflowID: text("workflow"), statuses: try statuses(), createdSince: try date("since"),
            createdUntil: try date("until"), updatedSince: try date("updated_since"),
            updatedUntil: try date("updated_until"), runIDPrefix: text("prefix"),
            parentRunID: text("parent_run_id").map { WorkflowRunID($0) }, schedule: text("schedule"))
    }

    func deadLetterFilter() throws -> DeadLetterFilter {
        var replayed: Bool?
        if let text = text("replayed") {
            guard let value = Bool(text) else { throw APIError.parameter("replayed", text, "must be true or false") }
            replayed = value
        }
        return DeadLetterFilter(workflowID: text("workflow"), runID: text("run_id").map { WorkflowRunID($0) }, replayed: replayed)
    }
}
