import Foundation
import Hookflow
import HookflowFluent
import Logging
import ServiceLifecycle
import XCTest

/// A step that hangs (cooperatively: it waits an hour) the first time it runs.
struct HangsOnce: Workflow {
    static let id = "hangs-once"
    let counter: Counter
    var retry: RetryPolicy = .default

    func run(_ ctx: WorkflowContext<JSON>) async throws -> Int {
        try await ctx.step.run("before") { counter.hit("before") }
        return try await ctx.step.run("hang", retry: retry) {
            if counter.hit("hang") == 1 { try await Task.sleep(for: .seconds(3600)) }
            return 42
        }
    }
}

final class LifecycleTests: XCTestCase {
    private func engine(on store: any WorkflowStore, _ register: (inout WorkflowRegistry) -> Void) -> WorkflowEngine {
        var registry = WorkflowRegistry()
        register(&registry)
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .critical
        return WorkflowEngine(
            store: store, registry: registry, transport: LocalTransport(workers: 2, safetyInterval: .seconds(3600)),
            configuration: .init(leaseDuration: .seconds(5), logger: logger))
    }

    func testAStepThatNeverReturnsIsCancelledAtTheShutdownTimeoutAndItsRunReleased() async throws {
        let path = try await temporaryDatabasePath()
        let store = try await openTestStore(path)
        addTeardownBlock { try await store.close() }
        let counter = Counter()
        let first = engine(on: store) { $0.register(HangsOnce(counter: counter)) }
        let service = Task { await HookflowService(engine: first, shutdownTimeout: .milliseconds(300)).run() }
        let runID = try await first.trigger(HangsOnce.self, input: [:])
        let hanging = try await eventually { counter["hang"] == 1 }
        XCTAssertTrue(hanging)

        let stopping = ContinuousClock.now
        first.beginShutdown()
        await service.value
        XCTAssertLessThan(ContinuousClock.now - stopping, .seconds(3), "shutdown waited for a step that never returns")
        let released = try await store.run(runID)
        XCTAssertEqual(released?.status, .pending, "the run was not handed back")
        let kept = try await store.steps(of: runID).map(\.stepID)
        XCTAssertEqual(kept, ["before"], "the cancelled step was recorded")

        let second = engine(on: store) { $0.register(HangsOnce(counter: counter)) }
        let resumed = Task { await HookflowService(engine: second).run() }
        let completed = try await eventually { try await store.run(runID)?.status == .completed }
        second.beginShutdown()
        await resumed.value
        XCTAssertTrue(completed)
        let result = try await store.run(runID)?.result
        XCTAssertEqual(result, "42")
        XCTAssertEqual(counter["before"], 1, "a checkpointed step ran again")
        XCTAssertEqual(counter["hang"], 2)
    }

    func testCancellingTheServiceReleasesItsRunsInsteadOfFailingThem() async throws {
        let store = try await openTestStore(try await temporaryDatabasePath())
        addTeardownBlock { try await store.close() }
        let counter = Counter()
        // One attempt only: a cancellation counted as the step's failure would fail the run.
        let engine = engine(on: store) { $0.register(HangsOnce(counter: counter, retry: .never)) }
        let service = Task { await HookflowService(engine: engine).run() }
        let runID = try await engine.trigger(HangsOnce.self, input: [:])
        let hanging = try await eventually { counter["hang"] == 1 }
        XCTAssertTrue(hanging)
        service.cancel()
        await service.value
        let status = try await store.run(runID)?.status
        XCTAssertEqual(status, .pending, "a cancelled service did not hand its run back")
        let letters = try await store.deadLetters(limit: 10)
        XCTAssertTrue(letters.isEmpty, "the cancellation failed the run: \(letters.map(\.errorMessage))")
    }

    func testTheServiceRunsInAPlainServiceGroupAndAShutdownMidStepLosesNothing() async throws {
        let path = try await temporaryDatabasePath()
        // Not run by the test: the service runs the store (a PostgreSQL store its own pool), as in an app.
        let store: any WorkflowStore =
            path.hasPrefix("postgres://")
            ? try await PostgresWorkflowStore.open(url: path, operationTimeout: .seconds(5))
            : try await openTestStore(path)
        addTeardownBlock { try await store.close() }
        let gate = Gate()
        let counter = Counter()
        let engine = engine(on: store) { $0.register(GatedSteps(gate: gate, counter: counter)) }
        var logger = Logger(label: "hookflow.test.group")
        logger.logLevel = .critical
        let group = ServiceGroup(
            services: [HookflowService(engine: engine)], gracefulShutdownSignals: [], cancellationSignals: [],
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let runID = try await engine.trigger(GatedSteps.self, input: [:])
            let arrived = try await eventually { gate.hasArrived }
            XCTAssertTrue(arrived)
            // The shutdown comes while the step runs: the step finishes, is checkpointed, and the run is handed back.
            await group.triggerGracefulShutdown()
            let shuttingDown = try await eventually { engine.isShuttingDown }
            XCTAssertTrue(shuttingDown, "the group's shutdown did not reach the engine")
            gate.open()
            try await tasks.waitForAll()
            // The service ran the store, and closed its connections last: the run is read again through a new one.
            let reopened = try await openTestStore(path)
            let status = try await reopened.run(runID)?.status
            XCTAssertEqual(status, .pending)
            let kept = try await reopened.steps(of: runID).map(\.stepID)
            XCTAssertEqual(kept, ["first"])
            XCTAssertEqual(counter["second"], 0, "a step started after the shutdown")
            try await reopened.close()
        }
    }

    func testAServiceThatDoesNotExecuteRunsLeavesThemToAnother() async throws {
        let path = try await temporaryDatabasePath()
        let store = try await openTestStore(path)
        addTeardownBlock { try await store.close() }
        let counter = Counter()
        let triggering = engine(on: store) { $0.register(Greet(counter: counter)) }
        let front = Task { await HookflowService(engine: triggering, executesRuns: false).run() }
        let runID = try await triggering.trigger(Greet.self, input: .init(name: "a", times: 1))
        try await Task.sleep(for: .milliseconds(300))
        let status = try await store.run(runID)?.status
        XCTAssertEqual(status, .pending, "a service that executes no runs executed one")

        let executing = engine(on: store) { $0.register(Greet(counter: counter)) }
        let worker = Task { await HookflowService(engine: executing).run() }
        let completed = try await eventually { try await store.run(runID)?.status == .completed }
        XCTAssertTrue(completed)
        triggering.beginShutdown()
        executing.beginShutdown()
        await front.value
        await worker.value
    }
}
