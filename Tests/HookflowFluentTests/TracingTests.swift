import Foundation
import Hookflow
import HookflowFluent
import InMemoryTracing
import Logging
import Tracing
import XCTest

/// A step, a durable sleep, and a step that fails once.
struct Traced: Workflow {
    let counter: Counter

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("before") { counter.hit("before") }
        try await ctx.step.sleep("nap", for: .milliseconds(50))
        try await ctx.step.run("after", retry: .exponential(maxAttempts: 2, initialDelay: .milliseconds(10))) {
            if counter.hit("after") == 1 { throw MeteredFailure() }
        }
        return "done"
    }
}

final class TracingTests: XCTestCase {
    private func engine(on store: any WorkflowStore, tracer: InMemoryTracer, counter: Counter) -> WorkflowEngine {
        var registry = WorkflowRegistry()
        registry.register(Traced(counter: counter))
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .critical
        return WorkflowEngine(
            store: store, registry: registry, transport: LocalTransport(workers: 2, safetyInterval: .seconds(3600)),
            configuration: .init(logger: logger, tracer: tracer))
    }

    func testARunTriggeredInARequestStaysInItsTraceAcrossASleepAndAnotherInstance() async throws {
        let store = try await openTestStore(try await temporaryDatabasePath())
        addTeardownBlock { try await store.close() }
        let counter = Counter()
        // The instance that serves the request only triggers; another one, with a tracer of its own, executes.
        let front = InMemoryTracer()
        let triggering = engine(on: store, tracer: front, counter: counter)
        let runID = try await front.withSpan("POST /orders", ofKind: .server) { _ in
            try await triggering.trigger(Traced.self, input: [:])
        }
        let back = InMemoryTracer()
        let executing = engine(on: store, tracer: back, counter: counter)
        let service = Task { await HookflowService(engine: executing).run() }
        let completed = try await eventually { try await store.run(runID)?.status == .completed }
        executing.beginShutdown()
        await service.value
        XCTAssertTrue(completed)

        let request = try XCTUnwrap(front.finishedSpans.first { $0.operationName == "POST /orders" })
        let trigger = try XCTUnwrap(front.finishedSpans.first { $0.operationName == "hookflow.trigger" })
        XCTAssertEqual(trigger.traceID, request.traceID)
        XCTAssertEqual(trigger.parentSpanID, request.spanID)
        XCTAssertEqual(trigger.attributes["hookflow.run_id"]?.toSpanAttribute(), .string(runID.rawValue))

        let spans = back.finishedSpans
        let invocations = spans.filter { $0.operationName == "hookflow.invocation" }
        XCTAssertGreaterThanOrEqual(invocations.count, 2, "the sleep and the retry each end an invocation")
        for invocation in invocations {
            XCTAssertEqual(invocation.traceID, request.traceID, "an invocation left the request's trace")
            XCTAssertEqual(invocation.parentSpanID, trigger.spanID)
        }
        let steps = spans.filter { $0.operationName == "hookflow.step" }
        XCTAssertEqual(
            steps.compactMap { $0.attributes["hookflow.step_id"]?.toSpanAttribute() },
            [.string("before"), .string("after"), .string("after")])
        for step in steps {
            XCTAssertEqual(step.traceID, request.traceID)
            XCTAssertTrue(invocations.contains { $0.spanID == step.parentSpanID }, "a step span outside its invocation")
        }
        let failed = try XCTUnwrap(steps.first { $0.attributes["hookflow.attempt"]?.toSpanAttribute() == .int64(1) && $0.attributes["hookflow.step_id"]?.toSpanAttribute() == .string("after") })
        XCTAssertEqual(failed.errors.count, 1, "the failed attempt's error was not recorded")
        XCTAssertEqual(failed.status?.code, .error)
    }
}
