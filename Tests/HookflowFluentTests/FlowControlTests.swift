import Foundation
import Hookflow
import Synchronization
import XCTest

/// Counts runs inside their step at once, per key and in all, and keeps the highest counts and the order runs started in.
final class Occupancy: Sendable {
    private struct State {
        var now: [String: Int] = [:]
        var highest: [String: Int] = [:]
        var started: [String] = []
    }
    private let state = Mutex(State())

    func enter(_ key: String, run: String) {
        state.withLock { state in
            state.started.append(run)
            for scope in [key, "*"] {
                state.now[scope, default: 0] += 1
                state.highest[scope] = max(state.highest[scope] ?? 0, state.now[scope]!)
            }
        }
    }

    func leave(_ key: String) {
        state.withLock { state in for scope in [key, "*"] { state.now[scope, default: 0] -= 1 } }
    }

    func highest(_ scope: String) -> Int { state.withLock { $0.highest[scope] ?? 0 } }
    var started: [String] { state.withLock { $0.started } }
}

/// At most two runs of a key, and four of the workflow, at once; each run's one step takes longer than the triggers.
private struct Limited: Workflow {
    static let id = "limited"
    static let concurrency: Int? = 4
    static let concurrencyPerKey = 2
    struct Input: Codable, Sendable {
        var key: String
        var name: String
        var milliseconds = 150
    }
    let occupancy: Occupancy

    func run(_ ctx: WorkflowContext<Input>) async throws -> String {
        try await ctx.step.run("work") {
            occupancy.enter(ctx.data.key, run: ctx.data.name)
            try await Task.sleep(for: .milliseconds(ctx.data.milliseconds))
            occupancy.leave(ctx.data.key)
            return ctx.data.name
        }
    }
}

private struct Zero: Workflow {
    static let concurrency: Int? = 0
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool { true }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// Concurrency limits and priorities through the engine, on every backend.
final class FlowControlTests: XCTestCase {
    func testNoMoreRunsOfAKeyOrAWorkflowRunAtOnceThanItsLimitAndEveryQueuedRunCompletesInOrder() async throws {
        let occupancy = Occupancy()
        let harness = try await Harness.start(workers: 8) { $0.register(Limited(occupancy: occupancy)) }
        addTeardownBlock { try await harness.stop() }
        var runs: [WorkflowRunID] = []
        for index in 0..<24 {
            let key = "customer-\(index % 3)"
            runs.append(try await harness.engine.trigger(
                Limited.self, input: .init(key: key, name: "r\(index)"), concurrencyKey: key))
        }
        let queued = try await harness.store.listRuns(RunFilter(statuses: [.queued]), after: nil, limit: 100).runs
        XCTAssertGreaterThan(queued.count, 0, "nothing waited for a slot")
        for runID in runs { try await harness.wait(for: runID, toBe: .completed, timeout: .seconds(30)) }
        for key in ["customer-0", "customer-1", "customer-2"] {
            XCTAssertEqual(occupancy.highest(key), 2, "\(key) ran \(occupancy.highest(key)) at once; its limit is 2")
        }
        XCTAssertLessThanOrEqual(occupancy.highest("*"), 4, "the workflow's limit of 4 was passed")
        // A key's runs start in the order they were triggered; two admitted together may enter their step either way round.
        let customer0 = occupancy.started.filter { Int($0.dropFirst())! % 3 == 0 }.map { Int($0.dropFirst())! / 3 }
        XCTAssertEqual(customer0.sorted(), Array(0..<8))
        for (position, run) in customer0.enumerated() {
            XCTAssertLessThanOrEqual(abs(position - run), 1, "customer-0's runs started out of order: \(customer0)")
        }
    }

    func testAHigherPriorityRunIsAdmittedBeforeTheRunsQueuedAheadOfIt() async throws {
        let occupancy = Occupancy()
        let harness = try await Harness.start(workers: 2) { $0.register(Limited(occupancy: occupancy)) }
        addTeardownBlock { try await harness.stop() }
        var runs: [WorkflowRunID] = []
        // The first two hold the key's slots for 1 and 1.5 s: the others are all queued before either ends,
        // and the first end admits one run, alone.
        for (index, priority) in [0, 0, 0, 0, 5].enumerated() {
            runs.append(try await harness.engine.trigger(
                Limited.self, input: .init(key: "k", name: "p\(index)", milliseconds: [1000, 1500][safe: index] ?? 50), concurrencyKey: "k",
                priority: priority))
        }
        for runID in runs { try await harness.wait(for: runID, toBe: .completed, timeout: .seconds(30)) }
        let started = occupancy.started
        XCTAssertEqual(Set(started.prefix(2)), ["p0", "p1"], "the first two were admitted at their trigger")
        XCTAssertEqual(started[2], "p4", "the priority run waited behind runs queued before it: \(started)")
        let run = try await harness.store.run(runs[4])
        XCTAssertEqual(run?.flow.priority, 5)
        XCTAssertEqual(run?.flow.concurrencyKey, "k")
    }

    func testALimitBelowOneOrAPriorityOutOfRangeIsRefusedByName() async throws {
        var registry = WorkflowRegistry()
        registry.register(Zero())
        XCTAssertThrowsError(try registry.validate()) { error in
            XCTAssertEqual("\(error)", #"zero.concurrency "0" must be at least 1"#)
        }
        let harness = try await Harness.start { $0.register(Limited(occupancy: Occupancy())) }
        addTeardownBlock { try await harness.stop() }
        do {
            try await harness.engine.trigger(Limited.self, input: .init(key: "k", name: "x"), priority: 20_000)
            XCTFail("a priority out of range was accepted")
        } catch let error as InvalidParameterError {
            XCTAssertEqual(error.parameter, "priority")
        }
        let none = try await harness.store.listRuns(RunFilter(), after: nil, limit: 10).runs
        XCTAssertEqual(none.count, 0, "a refused trigger stored a run")
    }
}

/// At most two starts per second.
private struct Throttled: Workflow {
    static let id = "throttled"
    static let rateLimit: RateLimit? = RateLimit(runs: 2, per: .seconds(1))
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Double {
        try await ctx.step.run("start") { Date().timeIntervalSince1970 }
    }
}

private struct NoRate: Workflow {
    static let rateLimitPerKey: RateLimit? = RateLimit(runs: 1, per: .zero)
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool { true }
}

/// Rate limits through the engine, on every backend.
final class RateLimitTests: XCTestCase {
    func testAWorkflowsRunsStartNoMoreOftenThanItsRateLimit() async throws {
        let harness = try await Harness.start(workers: 4) { $0.register(Throttled()) }
        addTeardownBlock { try await harness.stop() }
        var runs: [WorkflowRunID] = []
        for _ in 0..<6 { runs.append(try await harness.engine.trigger(Throttled.self, input: nil)) }
        var starts: [Double] = []
        for runID in runs {
            let run = try await harness.wait(for: runID, toBe: .completed, timeout: .seconds(20))
            starts.append(try XCTUnwrap(run.result.flatMap(Double.init)))
        }
        starts.sort()
        // Slots are half a second apart; a step begins a few milliseconds after its run's slot (never before).
        for (earlier, later) in zip(starts, starts.dropFirst(2)) {
            XCTAssertGreaterThanOrEqual(later - earlier, 0.9, "three runs started within a second: \(starts)")
        }
        XCTAssertLessThan(starts.last! - starts.first!, 4, "the runs were held back longer than their limit asks")
    }

    func testARateLimitWithNoPeriodIsRefusedByName() {
        var registry = WorkflowRegistry()
        registry.register(NoRate())
        XCTAssertThrowsError(try registry.validate()) { error in
            XCTAssertTrue("\(error)".hasPrefix("no-rate.rateLimitPerKey.period"), "\(error)")
        }
    }
}
