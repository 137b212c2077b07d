import Foundation
import Hookflow
import HookflowFluent
import XCTest

struct SleepOneSecond: Workflow {
    static let id = "sleep-one-second"
    let counter: Counter

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("before") { counter.hit("before") }
        try await ctx.step.sleep("nap", for: .seconds(1))
        try await ctx.step.run("after") { counter.hit("after") }
        return "awake"
    }
}

final class SleepTests: XCTestCase {
    func testSleepSurvivesRestart() async throws {
        let counter = Counter()
        let first = try await Harness.start { $0.register(SleepOneSecond(counter: counter)) }
        let runID = try await first.engine.trigger(SleepOneSecond.self, input: [:])
        let sleeping = try await first.wait(for: runID, toBe: .sleeping)
        XCTAssertNotNil(sleeping.wakeAt)
        try await first.stop()

        let second = try await Harness.start(path: first.path) { $0.register(SleepOneSecond(counter: counter)) }
        let run = try await second.wait(for: runID, toBe: .completed)

        XCTAssertEqual(run.result, #""awake""#)
        XCTAssertEqual(counter["before"], 1, "the step before the sleep ran again after the restart")
        XCTAssertEqual(counter["after"], 1)
        XCTAssertGreaterThanOrEqual(run.completedAt!, sleeping.wakeAt!, "the run woke before its wake time")
        try await second.stop()
    }

    func testSleepingRunIsNotLeased() async throws {
        let harness = try await Harness.start { $0.register(SleepOneSecond(counter: Counter())) }
        let runID = try await harness.engine.trigger(SleepOneSecond.self, input: [:])
        try await harness.wait(for: runID, toBe: .sleeping)

        let nap = try await harness.steps(runID)["nap"]
        XCTAssertEqual(nap?.status, .sleeping)
        XCTAssertNotNil(nap?.wakeAt)
        // Nothing is runnable while it sleeps: a claim finds no work.
        let claimed = try await harness.store.claimNextRun(owner: "probe", leaseUntil: Date() + 30, now: Date())
        XCTAssertNil(claimed)
        try await harness.stop()
    }

    func testSleepUntilAPastDateDoesNotSuspend() async throws {
        struct PastSleep: Workflow {
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
                try await ctx.step.sleep("already-due", until: Date(timeIntervalSince1970: 0))
                return true
            }
        }
        let harness = try await Harness.start { $0.register(PastSleep()) }
        let runID = try await harness.engine.trigger(PastSleep.self, input: [:])
        try await harness.wait(for: runID, toBe: .completed)
        let step = try await harness.steps(runID)["already-due"]
        XCTAssertEqual(step?.status, .completed)
        try await harness.stop()
    }
}
