import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// Waits (or sleeps) for as long as a caller asks, however long that is.
private struct WaitsForever: Workflow {
    static let id = "waits-forever"
    struct Input: Codable, Sendable { var sleep: Bool }

    func run(_ ctx: WorkflowContext<Input>) async throws -> String {
        if ctx.data.sleep {
            try await ctx.step.sleep("nap", for: .seconds(Int64.max))
            return "woke"
        }
        let event = try await ctx.step.waitForEvent("signal", key: "forever", as: String.self, timeout: .seconds(Int64.max))
        return event ?? "timed out"
    }
}

/// Fails with an error a 5xx body could carry: a NUL and 100 KB of text.
private struct FailsWithNUL: Workflow {
    static let id = "fails-with-nul"
    struct BodyError: Error, CustomStringConvertible {
        var description: String { "upstream said a\u{0}b " + String(repeating: "x", count: 100_000) }
    }

    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.run("call", retry: .never) { () -> Bool in throw BodyError() }
    }
}

/// Uses a step id that cannot be stored.
private struct BadStepID: Workflow {
    static let id = "bad-step-id"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.run("step\u{0}one") { true }
    }
}

/// Hostile input, far-future times and failing stores on every backend (issue 10).
final class HardeningStoreTests: XCTestCase {
    func testRunIDsWithNULAreRefusedSoTheyCannotCollide() async throws {
        let counter = Counter()
        let harness = try await Harness.start { $0.register(Greet(counter: counter)) }
        addTeardownBlock { try await harness.stop() }
        do {
            try await harness.engine.trigger(Greet.self, input: .init(name: "mallory", times: 1), runID: "order-A\u{0}x")
            XCTFail("a run id with a NUL was accepted")
        } catch let error as InvalidIdentifierError {
            XCTAssertEqual(error.kind, "run id")
        }
        let runID = try await harness.engine.trigger(Greet.self, input: .init(name: "ada", times: 1), runID: "order-A")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.input, #"{"name":"ada","times":1}"#, "another caller's input was served")
        do {
            try await harness.engine.notify(key: "approved\u{0}", payload: true)
            XCTFail("an event key with a NUL was accepted")
        } catch let error as InvalidIdentifierError {
            XCTAssertEqual(error.kind, "event key")
        }
    }

    func testSameRunIDWithOtherInputIsAConflictAndSameInputReturnsTheRun() async throws {
        let counter = Counter()
        let harness = try await Harness.start { $0.register(Greet(counter: counter)) }
        addTeardownBlock { try await harness.stop() }
        let first = try await harness.engine.trigger(Greet.self, input: .init(name: "ada", times: 1), runID: "pay-1")
        try await harness.wait(for: first, toBe: .completed)
        let again = try await harness.engine.trigger(Greet.self, input: .init(name: "ada", times: 1), runID: "pay-1")
        XCTAssertEqual(again, first)
        do {
            try await harness.engine.trigger(Greet.self, input: .init(name: "bob", times: 2), runID: "pay-1")
            XCTFail("other input under the same run id was silently ignored")
        } catch let error as WorkflowRunConflictError {
            XCTAssertTrue(error.inputDiffers)
            XCTAssertTrue(error.description.contains("other input"), error.description)
        }
        let ignored = try await harness.engine.trigger(
            Greet.self, input: .init(name: "bob", times: 2), runID: "pay-1", ifExists: .returnExisting)
        XCTAssertEqual(ignored, first)
        XCTAssertEqual(counter["greet"], 1)
    }

    func testAFarFutureWaitOrSleepIsClampedAndDoesNotCrash() async throws {
        let harness = try await Harness.start { $0.register(WaitsForever()) }
        addTeardownBlock { try await harness.stop() }
        let waiting = try await harness.engine.trigger(WaitsForever.self, input: .init(sleep: false))
        let sleeping = try await harness.engine.trigger(WaitsForever.self, input: .init(sleep: true))
        let waitRun = try await harness.wait(for: waiting, toBe: .sleeping)
        let sleepRun = try await harness.wait(for: sleeping, toBe: .sleeping)
        XCTAssertEqual(waitRun.wakeAt, HookflowTime.latest)
        XCTAssertEqual(sleepRun.wakeAt, HookflowTime.latest)
        try await harness.engine.notify(key: "forever", payload: "here")
        let done = try await harness.wait(for: waiting, toBe: .completed)
        XCTAssertEqual(done.result, #""here""#)
    }

    func testEventsPastTheirRetentionAreNotServed() async throws {
        let harness = try await Harness.start { $0.register(AwaitApproval(counter: Counter(), timeout: .milliseconds(300))) }
        addTeardownBlock { try await harness.stop() }
        let old = Date().addingTimeInterval(-EventRetention.period - 60)
        _ = try await harness.store.deliverEvent(key: "approved:stale", payload: #"{"approver":"old"}"#, now: old)
        let served = try await harness.store.event(key: "approved:stale", now: Date())
        XCTAssertNil(served, "an event older than its retention was served")
        let runID = try await harness.engine.trigger(AwaitApproval.self, input: "stale")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""timed out""#)
    }

    func testAnErrorWithNULAndHugeTextFailsTheRunWithADeadLetter() async throws {
        let harness = try await Harness.start { $0.register(FailsWithNUL()) }
        addTeardownBlock { try await harness.stop() }
        let runID = try await harness.engine.trigger(FailsWithNUL.self, input: [:])
        let run = try await harness.wait(for: runID, toBe: .failed)
        let message = try XCTUnwrap(run.errorMessage)
        XCTAssertTrue(message.contains("upstream said a\\0b"), String(message.prefix(200)))
        XCTAssertLessThan(message.count, StoredText.maximumErrorLength + 100)
        let letters = try await harness.store.deadLetters(limit: 10)
        XCTAssertEqual(letters.map(\.runID), [runID])
    }

    func testAStepIDThatCannotBeStoredFailsTheRunByName() async throws {
        let harness = try await Harness.start { $0.register(BadStepID()) }
        addTeardownBlock { try await harness.stop() }
        let runID = try await harness.engine.trigger(BadStepID.self, input: [:])
        let run = try await harness.wait(for: runID, toBe: .failed)
        XCTAssertTrue(run.errorMessage?.contains("invalid step id") == true, String(describing: run.errorMessage))
    }

    func testSQLiteStoresTextWithNULByItsLength() async throws {
        try TestBackend.requireSQLite()
        let store = try await openTestStore(try await temporaryDatabasePath())
        addTeardownBlock { try await store.close() }
        _ = try await store.createRun(runID: "a\u{0}b", workflowID: "w", input: "x\u{0}y", now: Date())
        let created = try await store.createRun(runID: "a", workflowID: "w", input: "other", now: Date())
        XCTAssertTrue(created.created, "the id was cut at its NUL")
        let run = try await store.run("a\u{0}b")
        XCTAssertEqual(run?.input, "x\u{0}y")
        let empty = try await store.createRun(runID: "e", workflowID: "w", input: "", now: Date())
        XCTAssertTrue(empty.created)
        let emptyRun = try await store.run("e")
        XCTAssertEqual(emptyRun?.input, "", "empty text was stored as NULL")
    }
}
