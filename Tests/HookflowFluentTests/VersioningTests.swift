import Foundation
import Hookflow
import XCTest

/// One workflow as three deploys wrote it: before the change, with it beside the old path,
/// and with the old path removed.
private struct Checkout: Workflow {
    static let id = "checkout"
    let stage: Int

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("validate") {}
        let path: String
        switch stage {
        case 1: path = "legacy"
        case 2: path = try await ctx.step.version("stripe", min: 1, max: 2) == 2 ? "stripe" : "legacy"
        default: path = try await ctx.step.version("stripe", min: 2, max: 2) == 2 ? "stripe" : "legacy"
        }
        try await ctx.step.run("charge-\(path)") {}
        _ = try await ctx.step.waitForEvent("go", key: "go-\(ctx.runID)", as: JSON.self, timeout: .seconds(3600))
        return path
    }
}

/// Versioned changes across deploys, on every backend.
final class VersioningTests: XCTestCase {
    func testRunsStartedBeforeAChangeKeepTheOldPathAndNewRunsTakeTheNewOne() async throws {
        let path = try await temporaryDatabasePath()
        let before = try await Harness.start(path: path) { $0.register(Checkout(stage: 1)) }
        let old = try await before.engine.trigger(Checkout.self, input: nil, runID: "old")
        let stranded = try await before.engine.trigger(Checkout.self, input: nil, runID: "stranded")
        try await before.wait(for: old, toBe: .sleeping)
        try await before.wait(for: stranded, toBe: .sleeping)
        try await before.stop()

        let during = try await Harness.start(path: path) { $0.register(Checkout(stage: 2)) }
        try await during.engine.notify(key: "go-old", payload: JSON.null)
        let oldRun = try await during.wait(for: old, toBe: .completed)
        XCTAssertEqual(oldRun.result, #""legacy""#, "a run started before the change took the new path")
        let oldVersion = try await during.steps(old)["hookflow.version:stripe"]
        XCTAssertEqual(oldVersion?.result, "1")
        let new = try await during.engine.trigger(Checkout.self, input: nil, runID: "new")
        try await during.wait(for: new, toBe: .sleeping)
        try await during.engine.notify(key: "go-new", payload: JSON.null)
        let newRun = try await during.wait(for: new, toBe: .completed)
        XCTAssertEqual(newRun.result, #""stripe""#)
        let newVersion = try await during.steps(new)["hookflow.version:stripe"]
        XCTAssertEqual(newVersion?.result, "2")
        try await during.stop()

        let after = try await Harness.start(path: path) { $0.register(Checkout(stage: 3)) }
        addTeardownBlock { try await after.stop() }
        try await after.engine.notify(key: "go-stranded", payload: JSON.null)
        let failed = try await after.wait(for: stranded, toBe: .failed)
        let message = try XCTUnwrap(failed.errorMessage)
        XCTAssertTrue(
            message.contains("version 1 of change 'stripe'") && message.contains("supports versions 2 to 2"), message)
    }
}

/// The second release of a workflow that the first cannot replay, and which replays no run of the first.
private struct RolloutV2: Workflow {
    static let id = "rollout"
    static let version = 2
    static let supportedVersions = 2...2

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("v2-only") { "v2" }
    }
}

/// An instance claims only the versions its code replays, on every backend.
final class RolloutTests: XCTestCase {
    func testAnInstanceLeavesRunsOfVersionsItCannotReplayAlone() async throws {
        let harness = try await Harness.start(workers: 2) { $0.register(RolloutV2()) }
        addTeardownBlock { try await harness.stop() }
        // A run the first release created, still pending when the second release took over.
        _ = try await harness.store.createRun(
            runID: "from-v1", workflowID: "rollout", input: "{}", traceContext: nil, parent: nil, workflowVersion: 1, now: Date())
        let new = try await harness.engine.trigger(RolloutV2.self, input: nil)
        let done = try await harness.wait(for: new, toBe: .completed)
        XCTAssertEqual(done.workflowVersion, 2)
        let swept = try await harness.engine.sweepOverdueRuns(olderThan: .zero)
        XCTAssertFalse(swept.contains("from-v1"), "the sweep published a run this instance cannot replay")
        do {
            _ = try await harness.engine.executeRun("from-v1")
            XCTFail("a delivery of a run of an unsupported version was executed")
        } catch let error as UnsupportedWorkflowVersionError {
            XCTAssertEqual(error.version, 1)
        }
        let old = try await harness.store.run("from-v1")
        XCTAssertEqual(old?.status, .pending, "the run was not left for an instance that replays it")
        let steps = try await harness.steps("from-v1")
        XCTAssertTrue(steps.isEmpty)
    }
}
