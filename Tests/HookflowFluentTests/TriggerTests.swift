import Foundation
import Hookflow
import HookflowFluent
import XCTest

struct Greet: Workflow {
    struct Input: Codable, Sendable { var name: String; var times: Int }
    let counter: Counter

    func run(_ ctx: WorkflowContext<Input>) async throws -> String {
        try await ctx.step.run("greet") { () -> String in
            counter.hit("greet")
            return String(repeating: "hi \(ctx.data.name) ", count: ctx.data.times)
        }
    }
}

final class TriggerTests: XCTestCase {
    func testTwentyRacingTriggersWithOneRunIDStartOneRun() async throws {
        let counter = Counter()
        let harness = try await Harness.start(workers: 4) { $0.register(Greet(counter: counter)) }
        let runID: WorkflowRunID = "order-12345"
        let ids = try await withThrowingTaskGroup(of: WorkflowRunID.self) { group in
            for _ in 0..<20 {
                group.addTask { try await harness.engine.trigger(Greet.self, input: .init(name: "ada", times: 1), runID: runID) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(Set(ids), [runID])
        try await harness.wait(for: runID, toBe: .completed)
        // Give a second run, if one had been started, the time to execute.
        try await Task.sleep(for: .milliseconds(200))
        XCTAssertEqual(counter["greet"], 1)
        try await harness.stop()
    }

    func testTriggerAfterCompletionReturnsTheSameRun() async throws {
        let counter = Counter()
        let harness = try await Harness.start { $0.register(Greet(counter: counter)) }
        let first = try await harness.engine.trigger(Greet.self, input: .init(name: "ada", times: 1), runID: "same")
        try await harness.wait(for: first, toBe: .completed)
        let second = try await harness.engine.trigger(Greet.self, input: .init(name: "ada", times: 1), runID: "same")
        XCTAssertEqual(first, second)
        try await Task.sleep(for: .milliseconds(200))
        XCTAssertEqual(counter["greet"], 1)
        let stored = try await harness.store.run("same")
        XCTAssertEqual(stored?.input, #"{"name":"ada","times":1}"#)
        try await harness.stop()
    }

    func testRunIDOfAnotherWorkflowIsAConflict() async throws {
        struct Other: Workflow {
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool { true }
        }
        let harness = try await Harness.start {
            $0.register(Greet(counter: Counter()))
            $0.register(Other())
        }
        try await harness.engine.trigger(Other.self, input: [:], runID: "taken")
        do {
            try await harness.engine.trigger(Greet.self, input: .init(name: "a", times: 1), runID: "taken")
            XCTFail("a run id was reused across workflows")
        } catch let error as WorkflowRunConflictError {
            XCTAssertEqual(error.existingWorkflowID, "other")
            XCTAssertEqual(error.requestedWorkflowID, "greet")
        }
        try await harness.stop()
    }

    func testUnknownWorkflowIsRejectedAndNothingIsStored() async throws {
        let harness = try await Harness.start { $0.register(Greet(counter: Counter())) }
        do {
            try await harness.engine.trigger(workflowID: "gret", data: ["name": "ada"], runID: "typo")
            XCTFail("an unknown workflow was triggered")
        } catch let error as UnknownWorkflowError {
            XCTAssertEqual(error.workflowID, "gret")
            XCTAssertTrue(error.description.contains("registered: greet"), error.description)
        }
        let stored = try await harness.store.run("typo")
        XCTAssertNil(stored)
        try await harness.stop()
    }

    func testUndecodableInputIsRejectedAtTriggerNamingTheField() async throws {
        let harness = try await Harness.start { $0.register(Greet(counter: Counter())) }
        do {
            try await harness.engine.trigger(workflowID: "greet", data: ["name": "ada", "times": "twice"], runID: "bad")
            XCTFail("an input that does not decode was accepted")
        } catch let error as WorkflowInputError {
            XCTAssertEqual(error.workflowID, "greet")
            XCTAssertTrue(error.description.contains("'times'"), error.description)
        }
        let stored = try await harness.store.run("bad")
        XCTAssertNil(stored)
        try await harness.stop()
    }

    func testStoredInputThatNoLongerDecodesFailsRunAndKeepsIt() async throws {
        let harness = try await Harness.start { $0.register(Greet(counter: Counter())) }
        // As if the Input type had changed since the run was stored.
        _ = try await harness.store.createRun(runID: "old", workflowID: "greet", input: #"{"name":"ada"}"#, now: Date())
        try await harness.transport.schedule("old", workflowID: "greet", at: nil, key: "old")
        let run = try await harness.wait(for: "old", toBe: .failed)

        let message = try XCTUnwrap(run.errorMessage)
        XCTAssertTrue(message.contains("run old"), message)
        XCTAssertTrue(message.contains("'greet'"), message)
        XCTAssertTrue(message.contains("'times'"), message)
        let letter = try await harness.store.deadLetters(limit: 1).first
        XCTAssertEqual(letter?.input, #"{"name":"ada"}"#, "the input was lost")
        try await harness.stop()
    }

    func testStoredResultThatNoLongerDecodesFailsRunNamingTheStep() async throws {
        struct Changing: Workflow {
            static let id = "changing"
            let asInt: Flag
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
                if asInt.isOn {
                    _ = try await ctx.step.run("lookup") { 1 }
                } else {
                    _ = try await ctx.step.run("lookup") { "one" }
                }
                try await ctx.step.sleep("wait", for: .milliseconds(300))
                return true
            }
        }
        let asInt = Flag()
        let harness = try await Harness.start { $0.register(Changing(asInt: asInt)) }
        let runID = try await harness.engine.trigger(Changing.self, input: [:])
        try await harness.wait(for: runID, toBe: .sleeping)
        asInt.set(true)
        let run = try await harness.wait(for: runID, toBe: .failed)

        let message = try XCTUnwrap(run.errorMessage)
        XCTAssertTrue(message.contains("step 'lookup'"), message)
        XCTAssertTrue(message.contains("'changing'"), message)
        XCTAssertTrue(message.contains("run \(runID)"), message)
        try await harness.stop()
    }

    func testStepResultThatDoesNotEncodeFailsRunNamingTheStep() async throws {
        struct NotANumber: Workflow {
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Double {
                try await ctx.step.run("ratio") { Double.nan }
            }
        }
        let harness = try await Harness.start { $0.register(NotANumber()) }
        let runID = try await harness.engine.trigger(NotANumber.self, input: [:])
        let run = try await harness.wait(for: runID, toBe: .failed)

        let message = try XCTUnwrap(run.errorMessage)
        XCTAssertTrue(message.contains("step 'ratio'"), message)
        XCTAssertTrue(message.contains("'not-a-number'"), message)
        XCTAssertTrue(message.contains("run \(runID)"), message)
        XCTAssertTrue(message.contains("does not encode"), message)
        try await harness.stop()
    }
}
