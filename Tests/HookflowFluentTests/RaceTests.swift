import Foundation
import Hookflow
import XCTest

/// Races an approval against a nap, then waits for a second event.
private struct ApprovalOrNap: Workflow {
    static let id = "approval-or-nap"
    struct Input: Codable, Sendable {
        var napMilliseconds: Int
    }

    func run(_ ctx: WorkflowContext<Input>) async throws -> String {
        let winner = try await ctx.step.race("approval-or-nap", {
            try await ctx.step.waitForEvent("approval", key: "approved-\(ctx.runID)", as: String.self, timeout: .seconds(3600))
        }, or: {
            try await ctx.step.sleep("nap", for: .milliseconds(Int64(ctx.data.napMilliseconds)))
        })
        let first: String
        switch winner {
        case .first(let approval): first = "approved by \(approval ?? "nobody")"
        case .second: first = "napped"
        }
        _ = try await ctx.step.waitForEvent("after", key: "after-\(ctx.runID)", as: String.self, timeout: .seconds(3600))
        return first
    }
}

/// Races a slow step against a fast one.
private struct SlowOrFast: Workflow {
    static let id = "slow-or-fast"
    let counter: Counter

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        let winner = try await ctx.step.race("slow-or-fast", {
            try await ctx.step.run("slow") { () -> String in
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    counter.hit("slow cancelled")
                    throw error
                }
                return "slow"
            }
        }, or: {
            try await ctx.step.run("fast") { "fast" }
        })
        if case .second(let value) = winner { return value }
        return "slow won"
    }
}

/// Races between durable branches, on every backend.
final class RaceTests: XCTestCase {
    private func start(_ counter: Counter = Counter()) async throws -> Harness {
        let harness = try await Harness.start(workers: 2) {
            $0.register(ApprovalOrNap())
            $0.register(SlowOrFast(counter: counter))
        }
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    func testAnEventThatArrivesFirstWinsAndTheSleepIsAbandoned() async throws {
        let harness = try await start()
        let runID = try await harness.engine.trigger(ApprovalOrNap.self, input: .init(napMilliseconds: 3_600_000))
        try await harness.wait(for: runID, toBe: .sleeping)
        try await harness.engine.notify(key: "approved-\(runID)", payload: "ada")
        _ = try await eventually { try await harness.steps(runID)["after"]?.status == .waiting }
        let steps = try await harness.steps(runID)
        XCTAssertEqual(steps["approval"]?.status, .completed)
        XCTAssertEqual(steps["nap"]?.status, .abandoned)
        XCTAssertEqual(steps["approval-or-nap"]?.result, #"{"winner":0}"#)
        let asleep = try await harness.store.run(runID)
        XCTAssertGreaterThan(asleep?.wakeAt ?? .distantPast, Date().addingTimeInterval(3000), "the abandoned nap still wakes the run")
        try await harness.engine.notify(key: "after-\(runID)", payload: "go")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""approved by ada""#)
    }

    func testASleepThatEndsFirstWinsAndALateEventNeverWakesTheRun() async throws {
        let harness = try await start()
        let runID = try await harness.engine.trigger(ApprovalOrNap.self, input: .init(napMilliseconds: 100))
        _ = try await eventually { try await harness.steps(runID)["after"]?.status == .waiting }
        let steps = try await harness.steps(runID)
        XCTAssertEqual(steps["approval"]?.status, .abandoned)
        XCTAssertEqual(steps["nap"]?.status, .completed)
        let woken = try await harness.engine.notify(key: "approved-\(runID)", payload: "too late")
        XCTAssertEqual(woken, [], "an abandoned wait's event woke the run")
        try await Task.sleep(for: .milliseconds(200))
        let asleep = try await harness.store.run(runID)
        XCTAssertEqual(asleep?.status, .sleeping)
        XCTAssertGreaterThan(asleep?.wakeAt ?? .distantPast, Date().addingTimeInterval(3000))
        try await harness.engine.notify(key: "after-\(runID)", payload: "go")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""napped""#)
    }

    func testTheLosingBranchsRunningStepIsCancelledAndNotCheckpointed() async throws {
        let counter = Counter()
        let harness = try await start(counter)
        let runID = try await harness.engine.trigger(SlowOrFast.self, input: nil)
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""fast""#)
        XCTAssertEqual(counter["slow cancelled"], 1)
        let steps = try await harness.steps(runID)
        XCTAssertNil(steps["slow"], "the losing step was checkpointed")
        XCTAssertEqual(steps["fast"]?.status, .completed)
    }
}
