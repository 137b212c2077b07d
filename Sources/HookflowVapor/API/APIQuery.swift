import Foundation
import Hookflow
import Vapor

/// The query parameters of the API's listings, checked: a value that cannot be used is a 400
/// naming the parameter.
struct APIQuery {
    let request: Request

    func text(_ name: String) -> String? {
        request.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `limit`: 1 to ``WorkflowEngine/maximumPageSize``, 50 when absent.
    func limit() throws -> Int {
        guard let text = text("limit") else { return 50 }
        guard let limit = Int(text), (1...WorkflowEngine.maximumPageSize).contains(limit) else {
            throw APIError.parameter("limit", text, "must be a whole number from 1 to \(WorkflowEngine.maximumPageSize)")
        }
        return limit
    }

    func cursor() throws -> ListCursor? {
        guard let text = text("cursor") else { return nil }
        guard let cursor = ListCursor(encoded: text) else {
            throw APIError.parameter("cursor", text, "is not a next_cursor this API answered")
        }
        return cursor
    }

    /// An ISO 8601 time (`2026-12-02T10:00:00Z`, fractional seconds allowed).
    func date(_ name: String) throws -> Date? {
        guard let text = text(name) else { return nil }
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw APIError.parameter(name, text, "is not an ISO 8601 time such as 2026-12-02T10:00:00Z")
        }
        return date
    }

    /// `status`: one or several statuses, comma-separated.
    func statuses() throws -> Set<RunStatus> {
        var statuses: Set<RunStatus> = []
        for name in (text("status") ?? "").split(separator: ",", omittingEmptySubsequences: true) {
            guard let status = RunStatus(rawValue: String(name)) else {
                throw APIError.parameter(
                    "status", String(name), "is not one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            statuses.insert(status)
        }
        return statuses
    }

    func runFilter() throws -> RunFilter {
        RunFilter(
            workflowID: text("workflow"), statuses: try statuses(), createdSince: try date("since"),
            createdUntil: try date("until"), updatedSince: try date("updated_since"),
            updatedUntil: try date("updated_until"), runIDPrefix: text("prefix"))
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
