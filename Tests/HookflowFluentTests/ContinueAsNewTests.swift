import Foundation
import Hookflow
import XCTest

/// Ticks once per run, continuing as new until its count reaches `until`.
private struct Ticker: Workflow {
    static let id = "ticker"
    struct Input: Codable, Sendable {
        var count: Int
        var until: Int
    }

    func run(_ ctx: WorkflowContext<Input>) async throws -> Int {
        try await ctx.step.run("tick") { ctx.data.count }
        guard ctx.data.count >= ctx.data.until else {
            throw ctx.continueAsNew(input: .init(count: ctx.data.count + 1, until: ctx.data.until))
        }
        return ctx.data.count
    }
}

/// Waits for a ticker child to be done.
private struct TickerParent: Workflow {
    static let id = "ticker-parent"

    func run(_ ctx: WorkflowContext<Int>) async throws -> Int {
        try await ctx.step.invoke("ticks", Ticker.self, input: .init(count: 0, until: ctx.data))
    }
}

/// Continue-as-new, on every backend.
final class ContinueAsNewTests: XCTestCase {
    private func start() async throws -> Harness {
        let harness = try await Harness.start(workers: 2) {
            $0.register(Ticker())
            $0.register(TickerParent())
        }
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    func testARunThatContinuesAsNewEndsAndItsSuccessorStartsWithAnEmptyHistory() async throws {
        let harness = try await start()
        let first = try await harness.engine.trigger(Ticker.self, input: .init(count: 0, until: 5), runID: "loop")
        var run = try await harness.wait(for: first, toBe: .completed)
        var chain = [run]
        while let result = run.result, result.contains("hookflow.continued_as") {
            let next = try JSONDecoder().decode([String: String].self, from: Data(result.utf8))["hookflow.continued_as"]
            let successor = try XCTUnwrap(next.map { WorkflowRunID($0) })
            run = try await harness.wait(for: successor, toBe: .completed)
            XCTAssertEqual(run.continuedFrom, chain.last?.runID, "a successor is not linked to the run it continues")
            chain.append(run)
        }
        XCTAssertEqual(chain.count, 6)
        XCTAssertEqual(run.result, "5")
        for link in chain {
            let steps = try await harness.steps(link.runID)
            XCTAssertEqual(Array(steps.keys), ["tick"], "a successor carried its predecessor's history")
        }
    }

    func testAParentWaitingForAChildThatContinuesAsNewGetsItsLastOutput() async throws {
        let harness = try await start()
        let parentID = try await harness.engine.trigger(TickerParent.self, input: 3)
        let parent = try await harness.wait(for: parentID, toBe: .completed)
        XCTAssertEqual(parent.result, "3")
        let children = try await harness.engine.children(of: parentID)
        XCTAssertEqual(children.count, 4, "every run of the child's chain is the parent's child")
        XCTAssertTrue(children.allSatisfy { $0.status == .completed })
    }
}
