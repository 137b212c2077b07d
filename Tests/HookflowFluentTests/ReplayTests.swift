import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// Two steps around a durable sleep: the second invocation replays the first step.
struct TwoStepsAroundSleep: Workflow {
    static let id = "two-steps-around-sleep"
    let counter: Counter

    func run(_ ctx: WorkflowContext<JSON>) async throws -> [String] {
        let token = try await ctx.step.run("issue-token") { () -> String in
            counter.hit("issue-token")
            return UUID().uuidString
        }
        try await ctx.step.sleep("pause", for: .milliseconds(200))
        let seen = try await ctx.step.run("use-token") { () -> String in
            counter.hit("use-token")
            return token
        }
        return [token, seen]
    }
}

final class ReplayTests: XCTestCase {
    func testReplaySkipsCheckpointedSteps() async throws {
        let counter = Counter()
        let harness = try await Harness.start { $0.register(TwoStepsAroundSleep(counter: counter)) }
        let runID = try await harness.engine.trigger(TwoStepsAroundSleep.self, input: [:])
        try await harness.wait(for: runID, toBe: .completed)

        XCTAssertEqual(counter["issue-token"], 1, "the first step ran again on replay")
        XCTAssertEqual(counter["use-token"], 1)
        let steps = try await harness.store.steps(of: runID)
        XCTAssertEqual(steps.map(\.stepID), ["issue-token", "pause", "use-token"])
        XCTAssertEqual(steps.map(\.kind), [.run, .sleep, .run])
        XCTAssertTrue(steps.allSatisfy { $0.status == .completed })
        try await harness.stop()
    }

    func testReplayReturnsTheStoredResult() async throws {
        let harness = try await Harness.start { $0.register(TwoStepsAroundSleep(counter: Counter())) }
        let runID = try await harness.engine.trigger(TwoStepsAroundSleep.self, input: [:])
        let run = try await harness.wait(for: runID, toBe: .completed)

        let output = try JSONDecoder().decode([String].self, from: Data(run.result!.utf8))
        XCTAssertEqual(output.count, 2)
        XCTAssertEqual(output[0], output[1], "the step after the sleep saw another value than the one checkpointed")
        try await harness.stop()
    }

    func testWorkflowOutputIsStoredAsTheRunResult() async throws {
        struct Adds: Workflow {
            struct Input: Codable, Sendable { var a: Int; var b: Int }
            struct Output: Codable, Sendable, Equatable { var sum: Int }
            func run(_ ctx: WorkflowContext<Input>) async throws -> Output {
                let sum = try await ctx.step.run("add") { ctx.data.a + ctx.data.b }
                return Output(sum: sum)
            }
        }
        let harness = try await Harness.start { $0.register(Adds()) }
        let runID = try await harness.engine.trigger(Adds.self, input: .init(a: 2, b: 3))
        let run = try await harness.wait(for: runID, toBe: .completed)

        XCTAssertEqual(run.workflowID, "adds")
        XCTAssertEqual(try JSONDecoder().decode(Adds.Output.self, from: Data(run.result!.utf8)), .init(sum: 5))
        XCTAssertNotNil(run.completedAt)
        try await harness.stop()
    }
}
