import Hookflow
import HookflowGitHubVapor
import HookflowVapor
import Prometheus
import Vapor

/// Registers the demo's workflows and routes.
func configure(_ app: Application) throws {
    if Environment.get("HOOKFLOW_DATABASE_URL") == nil {
        try app.hookflow.use(database: .sqlite(path: "hookflow-demo.sqlite"))
    }
    let paymentWait = try paymentWaitSeconds()
    let baseURL: @Sendable () -> String = { [app] in
        let port = app.http.server.shared.localAddress?.port ?? app.http.server.configuration.port
        return "http://127.0.0.1:\(port)"
    }
    app.hookflow.register(ProcessOrder(paymentWait: .seconds(paymentWait), baseURL: baseURL))
    app.hookflow.register(SendReport())
    app.hookflow.register(FulfilBatch())
    app.hookflow.register(Heartbeat())
    if let seconds = try heartbeatSeconds() {
        // One run per tick, however many instances run the demo; see it at /hookflow/dashboard/schedules.
        try app.hookflow.schedule("heartbeat", every: .seconds(seconds), workflow: Heartbeat.self, input: .object([:]))
    }
    // The JSON API: runs, workflows, dead letters (HOOKFLOW_API_TOKEN guards it; the demo runs on loopback).
    try app.hookflow.mountAPI(on: app)
    // The dashboard, /hookflow/dashboard/: the demo serves on loopback; behind HOOKFLOW_API_TOKEN when it is set.
    try app.hookflow.mountDashboard(on: app)
    // Where QStash delivers when HOOKFLOW_TRANSPORT=qstash; refused (489) with the local transport.
    try app.hookflow.mountWebhooks(on: app)
    // GitHub's workflow_run deliveries (GITHUB_WEBHOOK_SECRET); it also adds `hookflow github dispatch`.
    try app.hookflow.mountGitHubWebhook(on: app)
    // Hookflow's metrics (and, once main bootstraps swift-metrics, Vapor's) in Prometheus text format.
    try app.hookflow.use(metrics: HookflowMetrics(factory: PrometheusMetricsFactory(registry: DemoMetrics.registry)))
    app.get("metrics") { _ -> Response in
        var text: [UInt8] = []
        DemoMetrics.registry.emit(into: &text)
        return Response(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: .init(data: Data(text)))
    }

    app.get { _ in
        """
        Hookflow demo
          POST /orders   {"order_id": "A-1"}   starts process-order, answers {"run_id": ...}
                         (add "run_id" to choose it: the same id never starts a second run;
                         an order id starting with "declined" is refused: the run fails)
          POST /batches  {"orders": ["B-1", "B-2"]}
                                               starts fulfil-batch: one process-order child run per order
          POST /reports  {"email": "a@b.c"}    starts send-report (a flaky step, retried)
          GET  /hookflow/dashboard/            the dashboard: runs, steps, cancel, retry
          GET  /hookflow/api/runs/{run_id}     the run and its steps
          GET  /hookflow/api/schedules         schedules (HOOKFLOW_DEMO_HEARTBEAT_SECONDS=N declares `heartbeat`)
          GET  /hookflow/api/openapi.json      the operator API's OpenAPI document
          GET  /metrics                        Prometheus metrics (hookflow_*)
        """
    }
    let json = app.grouped(RequireJSON())
    json.post("orders") { request async throws -> TriggerResponse in
        let order = try request.content.decode(ProcessOrder.Request.self)
        guard !order.orderID.isEmpty else { throw Abort(.badRequest, reason: "order_id must not be empty") }
        let runID = try await request.hookflow.trigger(
            ProcessOrder.self, input: .init(orderID: order.orderID), runID: order.runID.map { WorkflowRunID($0) })
        return TriggerResponse(runID: runID.rawValue)
    }
    json.post("batches") { request async throws -> TriggerResponse in
        let batch = try request.content.decode(FulfilBatch.Input.self)
        guard !batch.orders.isEmpty, batch.orders.count <= 1000, !batch.orders.contains(where: \.isEmpty) else {
            throw Abort(.badRequest, reason: "orders must hold 1 to 1,000 order ids, none empty")
        }
        let runID = try await request.hookflow.trigger(FulfilBatch.self, input: batch)
        return TriggerResponse(runID: runID.rawValue)
    }
    json.post("reports") { request async throws -> TriggerResponse in
        let data = try request.content.decode(JSON.self)
        let runID = try await request.hookflow.trigger(workflowID: SendReport.id, data: data)
        return TriggerResponse(runID: runID.rawValue)
    }
    json.post("payments", "charge") { request async throws -> Charge in
        let order = try request.content.decode(Order.self)
        // So the demo has failed runs and dead letters to show (the operator API's fuzz test needs them).
        guard !order.orderID.hasPrefix("declined") else {
            throw Abort(.paymentRequired, reason: "card declined for order \(order.orderID)")
        }
        request.logger.info("payment service charged \(order.amountCents) cents for order \(order.orderID)")
        return Charge(chargeID: "ch_\(order.orderID)", amountCents: order.amountCents)
    }
}

private func paymentWaitSeconds() throws -> Int {
    guard let value = Environment.get("HOOKFLOW_DEMO_PAYMENT_WAIT_SECONDS") else { return 5 }
    guard let seconds = Int(value), seconds >= 0 else {
        throw HookflowConfigurationError(
            setting: "HOOKFLOW_DEMO_PAYMENT_WAIT_SECONDS", message: "must be a whole number of seconds, got '\(value)'")
    }
    return seconds
}

/// `HOOKFLOW_DEMO_HEARTBEAT_SECONDS`: the interval of the `heartbeat` schedule, or `nil` for none.
private func heartbeatSeconds() throws -> Int64? {
    guard let value = Environment.get("HOOKFLOW_DEMO_HEARTBEAT_SECONDS"), !value.isEmpty else { return nil }
    guard let seconds = Int64(value), seconds >= 1 else {
        throw HookflowConfigurationError(
            setting: "HOOKFLOW_DEMO_HEARTBEAT_SECONDS", message: "must be a whole number of seconds from 1, got '\(value)'")
    }
    return seconds
}

extension Charge: Content {}

struct TriggerResponse: Content {
    var runID: String
    enum CodingKeys: String, CodingKey { case runID = "run_id" }
}
