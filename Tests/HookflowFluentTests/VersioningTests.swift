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
