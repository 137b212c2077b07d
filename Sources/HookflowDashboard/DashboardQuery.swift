import Foundation
import Hookflow

/// A page's query parameters, checked: a value that cannot be used is an
/// `InvalidParameterError` that names the parameter.
package struct DashboardQuery: Sendable {
    private let values: [String: String]

    /// The parameters of `query` (`workflow=a&status=failed`); an empty value counts as absent.
    package init(_ query: String?) {
        var values: [String: String] = [:]
        // A form sends a space as `+`.
        let text = (query ?? "").replacingOccurrences(of: "+", with: "%20")
        for item in URLComponents(string: "?" + text)?.queryItems ?? [] {
            if let value = item.value, !value.isEmpty, values[item.name] == nil { values[item.name] = value }
        }
        self.values = values
    }

    /// The value of the parameter `name`, or `nil` when it is absent or empty.
    package func text(_ name: String) -> String? { values[name] }

    /// `cursor`: where a listing's page starts.
    package func cursor() throws -> ListCursor? {
        guard let text = text("cursor") else { return nil }
        guard let cursor = ListCursor(encoded: text) else {
            throw InvalidParameterError(parameter: "cursor", value: text, reason: "is not a cursor this dashboard made")
        }
        return cursor
    }

    /// `steps_cursor`: where the page of a run's steps starts.
    package func stepsCursor() throws -> StepCursor? {
        guard let text = text("steps_cursor") else { return nil }
        guard let cursor = StepCursor(encoded: text) else {
            throw InvalidParameterError(parameter: "steps_cursor", value: text, reason: "is not a cursor this dashboard made")
        }
        return cursor
    }

    /// The runs filter: `workflow`, `status` (a comma-separated list), `since` and `until` (the
    /// filter form's local times, read with `tz`, or ISO 8601 times), `prefix`, `parent` (a run's
    /// children), `schedule` (the runs a schedule started).
    package func runFilter() throws -> RunFilter {
        let offset = try timeZoneOffset()
        return RunFilter(
            workflowID: text("workflow"), statuses: try RunStatus.list(text("status") ?? ""),
            createdSince: try time("since", offset: offset), createdUntil: try time("until", offset: offset),
            runIDPrefix: text("prefix"), parentRunID: text("parent").map { WorkflowRunID($0) }, schedule: text("schedule"))
    }

    /// The dead letters filter: `workflow`, `replayed` (`true` or `false`).
    package func deadLetterFilter() throws -> DeadLetterFilter {
        var replayed: Bool?
        if let text = text("replayed") {
            guard let value = Bool(text) else {
                throw InvalidParameterError(parameter: "replayed", value: text, reason: "must be true or false")
            }
            replayed = value
        }
        return DeadLetterFilter(workflowID: text("workflow"), replayed: replayed)
    }

    /// `tz`: the viewer's offset from UTC in minutes (east positive), which the page's script sets.
    private func timeZoneOffset() throws -> Int {
        guard let text = text("tz") else { return 0 }
        guard let minutes = Int(text), abs(minutes) <= 14 * 60 else {
            throw InvalidParameterError(parameter: "tz", value: text, reason: "must be minutes from UTC, from -840 to 840")
        }
        return minutes
    }

    /// A time from the filter form (`2026-12-02T10:00`, local) or an ISO 8601 time.
    private func time(_ name: String, offset: Int) throws -> Date? {
        guard let text = text(name) else { return nil }
        if let date = HookflowTime.parseISO8601(text) { return date }
        let withSeconds = text.count == 16 ? text + ":00" : text
        guard let local = HookflowTime.parseISO8601(withSeconds + "Z") else {
            throw InvalidParameterError(parameter: name, value: text, reason: "is not a time such as 2026-12-02T10:00")
        }
        return local.addingTimeInterval(-Double(offset) * 60)
    }
}
