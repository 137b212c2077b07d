import Foundation
import Hookflow

/// `…/dashboard/runs/{run_id}`: the run, its input and outcome, a timeline of its steps (a
/// page of them), and the buttons that act on it. It refreshes itself while the run is unfinished.
package enum RunScreen {
    static let stepsPerPage = 200
    static let childrenShown = 50

    /// The page, from the engine's store; an error names what was not found or the parameter at fault.
    package static func render(
        engine: WorkflowEngine, runID: WorkflowRunID, query: DashboardQuery, context: DashboardContext
    ) async throws -> DashboardPage {
        guard let run = try await engine.store.run(runID) else { throw WorkflowRunNotFoundError(runID: runID) }
        let steps = try await engine.steps(of: runID, after: try query.stepsCursor(), limit: stepsPerPage)
        let children = try await engine.children(of: runID, limit: childrenShown + 1)
        let path = "/runs/" + DashboardFormat.pathSegment(runID.rawValue)

        let content: HTML = """
            <div class="page-head"><h1>Run <span class="mono run-title">\(runID.rawValue)</span> \(DashboardFormat.badge(run.status.rawValue))</h1>\
            <p class="subtitle">\(run.workflowID)</p><div class="page-actions">\(actions(run, path: path, context: context))</div>\
            <span class="refresh-note muted"></span></div>
            \(facts(run, context: context))
            <div class="columns">
            <section class="panel"><h2>Input</h2>\(DashboardFormat.json(run.input))</section>
            \(outcome(run))
            </div>
            \(ChildrenPanel.render(children, limit: childrenShown, of: runID, context: context))
            <section class="panel"><h2>Steps</h2>\(timeline(steps, run: run, path: path, context: context))</section>
            """
        return DashboardPage(
            title: "Run \(runID.rawValue.prefix(8))", section: .runs, content: content,
            refresh: run.status.isFinished ? nil : 3)
    }

    private static func actions(_ run: RunRecord, path: String, context: DashboardContext) -> HTML {
        var buttons: [HTML] = []
        if !run.status.isFinished, run.cancelRequestedAt == nil {
            buttons.append(context.actionForm(
                path + "/cancel", label: "Cancel run", style: "btn btn-danger", confirm: "Cancel this run?", done: "Cancellation requested"))
        }
        if run.status == .failed {
            buttons.append(context.actionForm(path + "/retry", label: "Retry", style: "btn btn-primary", done: "Retrying"))
        }
        buttons.append(context.actionForm(
            path + "/rerun", label: "Re-run", style: "btn", confirm: "Start a new run with the same input?"))
        return HTML.join(buttons)
    }

    private static func facts(_ run: RunRecord, context: DashboardContext) -> HTML {
        var items: [(String, HTML)] = [
            ("Status", DashboardFormat.badge(run.status.rawValue)),
            ("Workflow", "<a href=\"\(context.url("/runs") + "?workflow=" + DashboardFormat.queryValue(run.workflowID))\">\(run.workflowID)</a>"),
        ]
        if let parent = run.parent { items.append(("Parent run", DashboardFormat.runLink(parent.runID, context))) }
        if let previous = run.continuedFrom { items.append(("Continues", DashboardFormat.runLink(previous, context))) }
        if let successor = ContinuedAs.successor(of: run) { items.append(("Continued as", DashboardFormat.runLink(successor, context))) }
        if let tick = run.scheduledBy { items.append(("Schedule", DashboardFormat.scheduled(tick, context))) }
        items += [
            ("Created", DashboardFormat.time(run.createdAt)),
            ("Updated", DashboardFormat.time(run.updatedAt ?? run.createdAt)),
        ]
        if let wake = run.wakeAt, run.status == .sleeping { items.append(("Wakes", DashboardFormat.time(wake))) }
        if let ended = run.completedAt {
            items.append(("Ended", DashboardFormat.time(ended)))
            items.append(("Took", "\(DashboardFormat.duration(ended.timeIntervalSince(run.createdAt)))"))
        }
        if let requested = run.cancelRequestedAt { items.append(("Cancel requested", DashboardFormat.time(requested))) }
        if run.unfinishedInvocations > 0 {
            items.append(("Interrupted invocations", "\(run.unfinishedInvocations)"))
        }
        let rows = items.map { label, value -> HTML in "<div><dt>\(label)</dt><dd>\(value)</dd></div>" }
        return "<dl class=\"facts\">\(rows)</dl>"
    }

    private static func outcome(_ run: RunRecord) -> HTML {
        if let message = run.errorMessage {
            return "<section class=\"panel\"><h2>Error</h2>\(DashboardFormat.errorText(message))</section>"
        }
        if let result = run.result {
            return "<section class=\"panel\"><h2>Output</h2>\(DashboardFormat.json(result))</section>"
        }
        return "<section class=\"panel\"><h2>Output</h2><p class=\"muted\">Not finished yet.</p></section>"
    }

    private static func timeline(_ page: StepPage, run: RunRecord, path: String, context: DashboardContext) -> HTML {
        guard !page.steps.isEmpty else { return "<div class=\"empty\">No step recorded yet.</div>" }
        var previous = run.createdAt
        let items = page.steps.map { step -> HTML in
            defer { previous = step.executedAt }
            let attempts = step.attempts == 1 ? "1 attempt" : "\(step.attempts) attempts"
            let timing = Self.timing(step, previous: previous)
            let fork = context.actionForm(
                path + "/fork", label: "Fork from here", style: "btn btn-ghost btn-sm",
                confirm: "Start a new run that keeps the steps before \(step.stepID) and runs again from it?",
                fields: "<input type=\"hidden\" name=\"from_step\" value=\"\(step.stepID)\">")
            return """
                <li class="step step-\(step.status.rawValue)" id="step-\(step.sequence)">\
                <div class="step-head"><span class="kind kind-\(step.kind.rawValue)">\(step.kind.rawValue)</span>\
                <strong class="step-id">\(step.stepID)</strong>\(DashboardFormat.badge(step.status.rawValue))\
                <span class="muted">\(attempts)</span>\(timing)</div>\
                <div class="step-body">\(body(step, context: context))</div><div class="step-actions">\(fork)</div></li>
                """
        }
        let more: HTML = page.next.map { cursor in
            "<nav class=\"pager\"><a class=\"btn\" href=\"\(context.url(path) + "?steps_cursor=" + DashboardFormat.queryValue(cursor.encoded))\">Later steps →</a></nav>"
        } ?? ""
        return "<ol class=\"timeline\">\(items)</ol>\(more)"
    }

    /// When the step began and how long it took (or, while it waits, since when); for a step
    /// recorded without its start, when it was written and the time since the step before.
    private static func timing(_ step: StepRecord, previous: Date) -> HTML {
        guard let started = step.startedAt else {
            let since = DashboardFormat.duration(step.executedAt.timeIntervalSince(previous))
            return "\(DashboardFormat.time(step.executedAt))<span class=\"muted duration\" title=\"since the step before\">+\(since)</span>"
        }
        switch step.status {
        case .sleeping, .waiting:
            return "<span class=\"muted\">since</span> \(DashboardFormat.time(started))"
        case .completed, .failed, .retrying, .abandoned:
            let took = DashboardFormat.duration(step.executedAt.timeIntervalSince(started))
            return "\(DashboardFormat.time(started))<span class=\"muted duration\" title=\"how long its latest attempt took\">\(took)</span>"
        }
    }

    /// What a step waits for, returned or failed with.
    private static func body(_ step: StepRecord, context: DashboardContext) -> HTML {
        var parts: [HTML] = []
        if step.kind == .child, let child = ChildrenPanel.childRunID(ofStep: step) {
            let waits: HTML = step.status == .waiting ? "Waits for the child run " : "Child run "
            parts.append("<p>\(waits)\(DashboardFormat.runLink(child, context)).</p>")
        }
        switch (step.kind, step.status) {
        case (.sleep, .sleeping): parts.append("<p>Sleeps until \(DashboardFormat.time(step.wakeAt)).</p>")
        case (.wait, .waiting):
            let timeout: HTML = step.wakeAt.map { ", or until \(DashboardFormat.time($0))" } ?? ""
            parts.append("<p>Waits for the event <code>\(step.eventKey ?? "")</code>\(timeout).</p>")
        case (_, .retrying): parts.append("<p>Tries again \(DashboardFormat.time(step.wakeAt)).</p>")
        default: break
        }
        if step.kind == .wait, step.status != .waiting, let key = step.eventKey {
            parts.append("<p class=\"muted\">Event <code>\(key)</code></p>")
        }
        if let message = step.errorMessage { parts.append(DashboardFormat.errorText(message)) }
        if let result = step.result { parts.append(DashboardFormat.json(result)) }
        return HTML.join(parts)
    }
}
