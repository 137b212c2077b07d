import Foundation
import Hookflow
import HookflowVapor
import Vapor
import XCTest

/// Squares its input in a step.
private struct Square: Workflow {
    static let id = "square"
    func run(_ ctx: WorkflowContext<Int>) async throws -> Int { try await ctx.step.run("square") { ctx.data * ctx.data } }
}

/// Fans out steps and children, then continues as new once, and fails on its second run.
private struct Composite: FailureHandlingWorkflow {
    static let id = "composite"
    let counts: StepCounts

    func run(_ ctx: WorkflowContext<Int>) async throws -> Int {
        let doubled = try await ctx.step.map("double", Array(0..<10), concurrency: 4) { $0 * 2 }
        let squares = try await ctx.step.invokeAll("square", Square.self, inputs: Array(0..<4), concurrency: 2)
        let total = doubled.reduce(0, +) + squares.reduce(0, +)
        if ctx.data == 0 { throw ctx.continueAsNew(input: total) }
        try await ctx.step.run("explode") { () -> Int in throw NonRetryableError("boom after \(ctx.data)") }
        return total
    }

    func onFailure(_ ctx: FailureContext<Int>, error: WorkflowError) async throws {
        try await ctx.step.run("report") { counts.hit("report:\(error.stepID ?? "-")") }
    }
}

/// Child runs, fan-out, continue-as-new and a failure handler under the QStash transport.
final class QStashCompositionTests: XCTestCase {
    func testChildrenFanOutContinuationAndAFailureHandlerWorkThroughQStash() async throws {
        let counts = StepCounts()
        let (app, _) = try await makeQStashApp { app in
            app.hookflow.register(Square())
            app.hookflow.register(Composite(counts: counts))
        }
        addTeardownBlock { try await stop(app) }
        let first = try await app.hookflow.trigger(Composite.self, input: 0, runID: "composite-1")
        let continued = try await waitFor(first, toBe: .completed, in: app, timeout: .seconds(30))
        XCTAssertEqual(continued.children.count, 4)
        guard case .object(let marker)? = continued.result, case .string(let next)? = marker["hookflow.continued_as"] else {
            return XCTFail("the run did not continue as new: \(String(describing: continued.result))")
        }
        let successor = try await waitFor(WorkflowRunID(next), toBe: .failed, in: app, timeout: .seconds(30))
        XCTAssertEqual(successor.continuedFrom, "composite-1")
        XCTAssertTrue(successor.errorMessage?.contains("boom after 104") == true, "\(String(describing: successor.errorMessage))")
        XCTAssertEqual(counts["report:explode"], 1, "the failure handler did not run once")
    }

    func testADelayedStartIsDeliveredByQStashWhenItIsDue() async throws {
        let (app, _) = try await makeQStashApp { app in app.hookflow.register(Square()) }
        addTeardownBlock { try await stop(app) }
        let triggered = Date()
        let runID = try await app.hookflow.engine.trigger(Square.self, input: 7, delay: .seconds(1))
        let waiting = try await app.hookflow.status(of: runID)
        XCTAssertEqual(waiting?.status, .sleeping)
        let done = try await waitFor(runID, toBe: .completed, in: app, timeout: .seconds(20))
        XCTAssertEqual(done.result, 49)
        let run = try await app.hookflow.engine.store.run(runID)
        let steps = try await app.hookflow.engine.store.steps(of: runID)
        XCTAssertGreaterThanOrEqual(steps.first?.executedAt.timeIntervalSince(triggered) ?? 0, 0.9, "the run started early")
        XCTAssertNotNil(run)
    }
}
