import Foundation
import Hookflow

/// The small pieces the pages are made of: badges, times, run links, JSON.
package enum DashboardFormat {
    /// A status badge: `<span class="badge status-failed">failed</span>`.
    package static func badge(_ status: String) -> HTML {
        "<span class=\"badge status-\(status)\">\(status)</span>"
    }

    private static let absolute = Date.ISO8601FormatStyle(
        dateSeparator: .dash, dateTimeSeparator: .space, timeSeparator: .colon, timeZone: TimeZone(identifier: "UTC")!
    ).year().month().day().time(includingFractionalSeconds: false)

    /// A time the page's script shows in the viewer's zone, absolute and relative; UTC without it.
    package static func time(_ date: Date?) -> HTML {
        guard let date else { return "<span class=\"muted\">—</span>" }
        let iso = date.formatted(.iso8601)
        let utc = date.formatted(absolute)
        return "<time datetime=\"\(iso)\">\(utc) UTC</time>"
    }

    /// A link to a run's page, showing its id's first 8 characters (all of it on hover); a child
    /// run's id (`<parent id>:<step id>`) shows its parent's first 8 and its step, a schedule
    /// tick's run more (``shortID(_:)``).
    package static func runLink(_ runID: WorkflowRunID, _ context: DashboardContext) -> HTML {
        let id = runID.rawValue
        return "<a class=\"run-id mono\" href=\"\(context.runURL(id))\" title=\"\(id)\">\(shortID(id))</a>"
    }

    /// The schedule that started a run, linked to the runs it started, and its tick: `nightly (tick …)`.
    package static func scheduled(_ tick: ScheduleTick, _ context: DashboardContext) -> HTML {
        "<a href=\"\(context.scheduleRunsURL(tick.name))\">\(tick.name)</a> <span class=\"muted\">(tick \(time(tick.tick)))</span>"
    }

    /// The part of a run id a list shows; a schedule tick's run (`schedule:<name>:<tick>`, whose tick
    /// holds colons) shows its first 48 characters.
    static func shortID(_ id: String) -> String {
        if id.hasPrefix("schedule:") { return id.count > 48 ? String(id.prefix(48)) + "…" : id }
        let head = id.split(separator: ":", maxSplits: 1).first.map(String.init) ?? id
        let shown = head.count > 8 ? String(head.prefix(8)) + "…" : head
        guard head.count < id.count, let step = id.split(separator: ":").last else { return shown }
        return shown + ":" + (step.count > 24 ? String(step.prefix(24)) + "…" : String(step))
    }

    /// `text` as one segment of a URL path.
    package static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#%")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `text` as a query value.
    package static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#;%")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The most of a value shown before "Show all".
    package static let shownCharacters = 2_000

    /// Stored JSON text, pretty-printed; a long one cut, with the rest behind "Show all".
    package static func json(_ stored: String?) -> HTML {
        guard let stored else { return "<span class=\"muted\">—</span>" }
        return long(pretty(stored), css: "json")
    }

    /// An error message; a long one cut, with the rest behind "Show all".
    package static func errorText(_ message: String) -> HTML {
        long(message, css: "error-text")
    }

    private static func long(_ text: String, css: String) -> HTML {
        guard text.count > shownCharacters else { return "<pre class=\"\(css)\">\(text)</pre>" }
        let size = String(format: "%.1f KB", Double(text.utf8.count) / 1024)
        return """
            <pre class="\(css)">\(String(text.prefix(shownCharacters)))…</pre>\
            <details class="more"><summary>Show all (\(size))</summary><pre class="\(css)">\(text)</pre></details>
            """
    }

    /// `stored` indented, keys sorted; as it is when it is not JSON.
    package static func pretty(_ stored: String) -> String {
        guard let value = try? JSONDecoder().decode(JSON.self, from: Data(stored.utf8)) else { return stored }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return stored }
        return String(decoding: data, as: UTF8.self)
    }

    /// A duration a person reads: `850 ms`, `12.3 s`, `4 min 5 s`, `3 h 20 min`, `2 d 4 h`.
    package static func duration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        if whole < 86_400 { return "\(whole / 3600) h \(whole % 3600 / 60) min" }
        return "\(whole / 86_400) d \(whole % 86_400 / 3600) h"
    }

    /// The first `limit` characters of `text` on one line, and `…` when there was more.
    package static func truncated(_ text: String, limit: Int) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }

    /// A whole number with thousands separated: `1,000,000`.
    package static func count(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }
}
