import Foundation
import Hookflow
import HookflowDashboard
import Vapor

extension Application.Hookflow {
    /// Mounts the dashboard, Hookflow's pages for people, at `{HOOKFLOW_WEBHOOK_PATH}dashboard/`
    /// (`path` changes the last part) on `routes`: an overview, the runs with filters, each run
    /// with its steps and its cancel, retry, re-run and fork buttons, the workflows, the schedules
    /// (pause, resume, run now, delete) and the dead letters. Mount it behind your own
    /// authentication, or set `HOOKFLOW_API_TOKEN`: the dashboard then asks for it once and keeps
    /// a session cookie. Every form is protected against cross-site requests.
    ///
    /// ```swift
    /// try app.hookflow.mountDashboard(on: app.grouped(AdminAuthMiddleware()))
    /// ```
    ///
    /// It serves its stylesheet and script from the resources of `HookflowDashboard`
    /// (`hookflow_HookflowDashboard.resources`, which a deployment copies next to the binary).
    public func mountDashboard(on routes: any RoutesBuilder, path: String = "dashboard") throws {
        let settings = try runtime.settings()
        let components = settings.routePath + path.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
        let assets = try DashboardAssets.load()
        let root = routes.grouped(components)
        // Before the guard: the files hold no data.
        root.get("assets", "dashboard.css") { request in assets.stylesheet.response(for: request) }
        root.get("assets", "dashboard.js") { request in assets.script.response(for: request) }

        let pages = root.grouped(DashboardGuard(root: components.map(\.description), apiToken: settings.apiToken?.value))
            .grouped(DashboardErrorMiddleware())
        pages.get { request in try await DashboardRoutes.show(request) { engine, _, context in
            try await OverviewScreen.render(engine: engine, context: context)
        } }
        pages.get("runs") { request in try await DashboardRoutes.show(request) { engine, query, context in
            try await RunsScreen.render(engine: engine, query: query, context: context)
        } }
        pages.get("runs", ":run_id") { request in
            let runID = WorkflowRunID(request.parameters.get("run_id") ?? "")
            return try await DashboardRoutes.show(request) { engine, query, context in
                try await RunScreen.render(engine: engine, runID: runID, query: query, context: context)
            }
        }
        pages.post("runs", ":run_id", ":action", use: DashboardActions.runAction)
        pages.get("workflows") { request in try await DashboardRoutes.show(request) { engine, _, context in
            try await WorkflowsScreen.render(engine: engine, context: context)
        } }
        pages.post("workflows", ":workflow_id", "runs", use: DashboardActions.trigger)
        pages.get("schedules") { request in try await DashboardRoutes.show(request) { engine, _, context in
            try await SchedulesScreen.render(engine: engine, context: context)
        } }
        pages.post("schedules", ":name", ":action", use: DashboardActions.scheduleAction)
        pages.get("dead-letters") { request in try await DashboardRoutes.show(request) { engine, query, context in
            try await DeadLettersScreen.render(engine: engine, query: query, context: context)
        } }
        pages.post("dead-letters", ":id", ":action", use: DashboardActions.deadLetterAction)
        pages.get("login", use: DashboardLogin.form)
        pages.post("login", use: DashboardLogin.signIn)
        pages.post("logout", use: DashboardLogin.signOut)
    }
}
