import Foundation
import Hookflow
import Logging
import Synchronization
import XCTest

/// Notes the tick it was started for.
private struct Report: Workflow {
    static let id = "report"
    struct Input: Codable, Sendable { var region: String }
    func run(_ ctx: WorkflowContext<Input>) async throws -> String {
        try await ctx.step.run("report") { ctx.data.region }
    }
}

/// A clock a test moves by hand.
private final class ManualClock: Sendable {
    private let current = Mutex(t0)
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// Schedules fire one run per tick, by their policies, on every backend.
final class RecurringScheduleTests: XCTestCase {
    private let clock = ManualClock()

    /// An engine whose scheduler is driven by hand (``WorkflowEngine/fireDueSchedules()``) and whose runs nobody executes.
    private func makeEngine(store: (any WorkflowStore)? = nil) async throws -> WorkflowEngine {
        let store = if let store { store } else { try await makeConformanceStore() }
        var registry = WorkflowRegistry()
        registry.register(Report())
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .warning
        let clock = self.clock
        return WorkflowEngine(
            store: store, registry: registry, transport: LocalTransport(workers: 1),
            configuration: .init(leaseDuration: .seconds(30), logger: logger, now: { clock.now }))
    }

    private func schedule(
        every seconds: Int64 = 60, missed: MissedTickPolicy = .runLatest, overlap: OverlapPolicy = .allow,
        grace: Duration = .seconds(60)
    ) throws -> Schedule {
        try Schedule(
            "report", every: .seconds(seconds), workflow: Report.self, input: .init(region: "eu"), missedTicks: missed,
            overlap: overlap, gracePeriod: grace)
    }

    func testEachTickStartsOneRunNamedForTheScheduleAndTheTick() async throws {
        let engine = try await makeEngine()
        let saved = try await engine.saveSchedule(try schedule())
        XCTAssertEqual(saved.nextFireAt, t0 + 20, "the first tick of a minute schedule is the next whole minute")
        let early = try await engine.fireDueSchedules()
        XCTAssertEqual(early, [])

        clock.set(t0 + 21)
        let first = try await engine.fireDueSchedules()
        let tick = ScheduleTick(name: "report", tick: t0 + 20)
        XCTAssertEqual(first, [tick.runID])
        let run = try await engine.store.run(tick.runID)
        XCTAssertEqual(run?.scheduledBy, tick)
        XCTAssertEqual(run?.input, #"{"region":"eu"}"#)
        let again = try await engine.fireDueSchedules()
        XCTAssertEqual(again, [], "a tick fired twice")
        let record = try await engine.schedule(named: "report")
        XCTAssertEqual(record.nextFireAt, t0 + 80)
        XCTAssertEqual(record.lastRunID, tick.runID)
        XCTAssertEqual(record.upcomingTicks(3), [t0 + 80, t0 + 140, t0 + 200])
    }

    func testATickFiredAgainAfterItsFirerDiedFindsItsRunAndStartsNoOther() async throws {
        let engine = try await makeEngine()
        try await engine.saveSchedule(try schedule())
        clock.set(t0 + 21)
        // An instance leased the schedule, started the tick's run and died before it advanced the schedule.
        _ = try await engine.store.leaseDueSchedule(owner: "dead", leaseUntil: t0 + 51, now: t0 + 21)
        let tick = ScheduleTick(name: "report", tick: t0 + 20)
        _ = try await engine.store.createRun(
            runID: tick.runID, workflowID: Report.id, input: #"{"region":"eu"}"#, traceContext: nil, parent: nil,
            workflowVersion: 1, startAt: nil, scheduledBy: tick, flow: .unlimited, now: t0 + 21)
        let held = try await engine.fireDueSchedules()
        XCTAssertEqual(held, [], "a schedule held by a live lease was fired")

        clock.set(t0 + 52)
        let takenOver = try await engine.fireDueSchedules()
        XCTAssertEqual(takenOver, [tick.runID], "the dead instance's tick was not fired again")
        let runs = try await engine.store.listRuns(RunFilter(schedule: "report"), after: nil, limit: 10).runs
        XCTAssertEqual(runs.map(\.runID), [tick.runID], "a tick started two runs")
    }

    func testConcurrentFiringStartsEachTickExactlyOnce() async throws {
        let engine = try await makeEngine()
        try await engine.saveSchedule(try schedule(every: 1, missed: .runAll(upTo: 1_000)))
        clock.set(t0 + 30)
        let started = try await withThrowingTaskGroup(of: [WorkflowRunID].self) { group in
            for _ in 0..<4 { group.addTask { try await engine.fireDueSchedules() } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        XCTAssertEqual(started.count, 30, "ticks 1 through 30 of a one-second schedule")
        XCTAssertEqual(Set(started).count, 30, "a tick was started twice")
        let runs = try await engine.store.listRuns(RunFilter(schedule: "report"), after: nil, limit: 100).runs
        XCTAssertEqual(runs.count, 30)
    }

    func testMissedTicksAreSkippedRunOnceOrRunUpToTheLimit() async throws {
        let cases: [(MissedTickPolicy, [Date])] = [
            (.skip, []),
            (.runLatest, [t0 + 1_640]),
            (.runAll(upTo: 3), [t0 + 1_520, t0 + 1_580, t0 + 1_640]),
        ]
        for (policy, expected) in cases {
            let engine = try await makeEngine()
            clock.set(t0)
            try await engine.saveSchedule(try schedule(missed: policy, grace: .seconds(5)))
            // Down for 27 minutes: ticks t0+20 … t0+1,640 are missed (older than the 5 s grace period).
            clock.set(t0 + 1_650)
            let started = try await engine.fireDueSchedules()
            XCTAssertEqual(started, expected.map { ScheduleTick(name: "report", tick: $0).runID }, "policy \(policy)")
            let record = try await engine.schedule(named: "report")
            XCTAssertEqual(record.nextFireAt, t0 + 1_700, "policy \(policy)")
        }
    }

    func testATickLateWithinTheGracePeriodRunsWhateverThePolicy() async throws {
        let engine = try await makeEngine()
        try await engine.saveSchedule(try schedule(every: 10, missed: .skip))
        clock.set(t0 + 75)
        let started = try await engine.fireDueSchedules()
        XCTAssertEqual(started.count, 6, "ticks 20 to 70 s are all within the 60 s grace period")
    }

    func testAnOverlappingTickIsSkippedOrCancelsThePreviousRun() async throws {
        let engine = try await makeEngine()
        try await engine.saveSchedule(try schedule(overlap: .skip))
        clock.set(t0 + 20)
        let first = try await engine.fireDueSchedules()
        clock.set(t0 + 80)
        let skipped = try await engine.fireDueSchedules()
        XCTAssertEqual(skipped, [], "a tick ran while the previous run was pending")
        let skippedRecord = try await engine.schedule(named: "report")
        XCTAssertEqual(skippedRecord.nextFireAt, t0 + 140, "a skipped tick was not passed")

        try await engine.saveSchedule(try schedule(overlap: .cancelPrevious))
        clock.set(t0 + 140)
        let replacing = try await engine.fireDueSchedules()
        XCTAssertEqual(replacing, [ScheduleTick(name: "report", tick: t0 + 140).runID])
        let previous = try await engine.store.run(try XCTUnwrap(first.first))
        XCTAssertEqual(previous?.status, .cancelled, "the previous run was not cancelled")
        let replacement = try await engine.store.run(try XCTUnwrap(replacing.first))
        XCTAssertEqual(replacement?.status, .pending)
    }

    func testAPausedScheduleFiresNothingAndResumesFromTheNextTickAfterNow() async throws {
        let engine = try await makeEngine()
        try await engine.saveSchedule(try schedule())
        try await engine.pauseSchedule("report")
        clock.set(t0 + 200)
        let whilePaused = try await engine.fireDueSchedules()
        XCTAssertEqual(whilePaused, [])
        let resumed = try await engine.resumeSchedule("report")
        XCTAssertEqual(resumed.nextFireAt, t0 + 260, "ticks that passed while paused were kept")
        let byHand = try await engine.triggerSchedule("report")
        let run = try await engine.store.run(byHand)
        XCTAssertEqual(run?.scheduledBy, ScheduleTick(name: "report", tick: t0 + 200))
        try await engine.deleteSchedule("report")
        do {
            try await engine.pauseSchedule("report")
            XCTFail("a deleted schedule was paused")
        } catch let error as ScheduleNotFoundError {
            XCTAssertEqual(error.description, #"no schedule is called "report""#)
        }
    }

    func testAScheduleOfAnUnregisteredWorkflowOrWithInputItCannotDecodeIsRefused() async throws {
        let engine = try await makeEngine()
        do {
            try await engine.saveSchedule(try Schedule(name: "x", spec: .every(.seconds(5)), workflowID: "missing", input: "{}"))
            XCTFail("a schedule of an unregistered workflow was saved")
        } catch let error as UnknownWorkflowError {
            XCTAssertTrue("\(error)".contains("missing"), "\(error)")
        }
        do {
            try await engine.saveSchedule(try Schedule(name: "x", spec: .every(.seconds(5)), workflowID: Report.id, input: "{}"))
            XCTFail("a schedule whose input does not decode was saved")
        } catch {
            XCTAssertTrue("\(error)".contains("region"), "\(error)")
        }
        let none = try await engine.schedules()
        XCTAssertEqual(none, [])
    }

    func testTheServiceFiresAnIntervalScheduleOnTimeAndItsRunsComplete() async throws {
        let harness = try await Harness.start(workers: 2) { $0.register(Report()) }
        addTeardownBlock { try await harness.stop() }
        try await harness.engine.saveSchedule(try Schedule("every-second", every: .seconds(1), workflow: Report.self, input: .init(region: "us")))
        let deadline = ContinuousClock.now + .seconds(10)
        var runs: [RunRecord] = []
        while ContinuousClock.now < deadline {
            runs = try await harness.store.listRuns(RunFilter(statuses: [.completed], schedule: "every-second"), after: nil, limit: 10).runs
            if runs.count >= 2 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTAssertGreaterThanOrEqual(runs.count, 2, "a one-second schedule did not complete two runs")
        for run in runs {
            let tick = try XCTUnwrap(run.scheduledBy)
            XCTAssertEqual(run.createdAt.timeIntervalSince(tick.tick), 0, accuracy: 1.0, "tick \(tick.tick) started late")
            XCTAssertEqual(run.result, #""us""#)
        }
    }
}
