import Foundation
import Hookflow
import HookflowFluent
import XCTest

final class DeterminismTests: XCTestCase {
    func testStepIDUsedTwiceFailsRunNamingStepAndBothKinds() async throws {
        struct Reuses: Workflow {
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
                try await ctx.step.run("fetch") { 1 }
                try await ctx.step.sleep("fetch", for: .milliseconds(1))
                return true
            }
        }
        let harness = try await Harness.start { $0.register(Reuses()) }
        let runID = try await harness.engine.trigger(Reuses.self, input: [:])
        let run = try await harness.wait(for: runID, toBe: .failed)

        let message = try XCTUnwrap(run.errorMessage)
        XCTAssertTrue(message.contains("'fetch'"), message)
        XCTAssertTrue(message.contains("used twice"), message)
        XCTAssertTrue(message.contains("run") && message.contains("sleep"), message)
        let letters = try await harness.store.deadLetters(limit: 10)
        XCTAssertEqual(letters.first?.runID, runID)
        XCTAssertEqual(letters.first?.stepID, "fetch")
        try await harness.stop()
    }

    func testReplayThatAsksForAnotherKindFailsRun() async throws {
        /// Version 1 records "notify" as a run step then sleeps; version 2 asks for "notify" as a call.
        struct Evolving: Workflow {
            static let id = "evolving"
            let changed: Flag
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
                if changed.isOn {
                    try await ctx.step.call("notify", url: "http://127.0.0.1:9/never")
                } else {
                    try await ctx.step.run("notify") { 1 }
                }
                try await ctx.step.sleep("wait", for: .milliseconds(300))
                return true
            }
        }
        let changed = Flag()
        let harness = try await Harness.start { $0.register(Evolving(changed: changed)) }
        let runID = try await harness.engine.trigger(Evolving.self, input: [:])
        try await harness.wait(for: runID, toBe: .sleeping)
        changed.set(true)
        let run = try await harness.wait(for: runID, toBe: .failed)

        let message = try XCTUnwrap(run.errorMessage)
        XCTAssertTrue(message.contains("'notify'"), message)
        XCTAssertTrue(message.contains("recorded as run"), message)
        XCTAssertTrue(message.contains("asks for call"), message)
        try await harness.stop()
    }

    func testBodyThatSwallowsTheSuspensionStillSuspends() async throws {
        struct Swallows: Workflow {
            let counter: Counter
            func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
                do { try await ctx.step.sleep("nap", for: .milliseconds(300)) } catch {}
                try await ctx.step.run("after") { counter.hit("after") }
                return "done"
            }
        }
        let counter = Counter()
        let harness = try await Harness.start { $0.register(Swallows(counter: counter)) }
        let runID = try await harness.engine.trigger(Swallows.self, input: [:])
        try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(counter["after"], 1, "a step ran while the run was meant to sleep")
        try await harness.stop()
    }
}
