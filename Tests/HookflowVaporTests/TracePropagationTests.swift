import Foundation
import Hookflow
import HookflowFluent
import InMemoryTracing
import Logging
import NIOConcurrencyHelpers
import Tracing
import Vapor
import XCTest

/// One call to a service that answers with the trace id it was sent.
struct CallsTraced: Workflow {
    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        let answer = try await ctx.step.call("traced", url: ctx.data + "/echo-trace")
        return String(decoding: answer.body, as: UTF8.self)
    }
}

final class TracePropagationTests: XCTestCase {
    func testACallSendsTheRunsTraceContextToTheCalledService() async throws {
        let server = try await Application.make(.testing)
        server.logger.logLevel = .critical
        server.get("echo-trace") { request in request.headers.first(name: InMemoryTracer.traceIDKey) ?? "none" }
        server.http.server.configuration.hostname = "127.0.0.1"
        server.http.server.configuration.port = 0
        try await server.server.start()
        let port = try XCTUnwrap(server.http.server.shared.localAddress?.port)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try await SQLiteWorkflowStore.open(path: folder.appendingPathComponent("runs.sqlite").path)
        var registry = WorkflowRegistry()
        registry.register(CallsTraced())
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .critical
        let tracer = InMemoryTracer()
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: LocalTransport(workers: 1),
            configuration: .init(logger: logger, tracer: tracer))
        let service = Task { await HookflowService(engine: engine).run() }
        let runID = try await tracer.withSpan("POST /checkout", ofKind: .server) { _ in
            try await engine.trigger(CallsTraced.self, input: "http://127.0.0.1:\(port)")
        }
        let result = try await Loopback.poll(timeout: .seconds(10)) { try await store.run(runID)?.result }
        engine.beginShutdown()
        await service.value
        try await store.close()
        await server.server.shutdown()
        try await server.asyncShutdown()

        let request = try XCTUnwrap(tracer.finishedSpans.first { $0.operationName == "POST /checkout" })
        XCTAssertEqual(result, #""\#(request.traceID)""#, "the called service did not receive the run's trace")
    }
}
