import Foundation
import Hookflow
import XCTest

/// Returns its input.
private struct Reindex: Workflow {
    static let id = "reindex"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        try await ctx.step.run("index") { ctx.data }
    }
}

/// Debounced triggers, on every backend.
final class DebounceTests: XCTestCase {
    private func start() async throws -> Harness {
        let harness = try await Harness.start(workers: 2) { $0.register(Reindex()) }
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    func testTriggersWithinTheWindowCollapseIntoOneRunWithTheLastInput() async throws {
        let harness = try await start()
        let first = try await harness.engine.trigger(
            Reindex.self, input: ["n": 1], debounceKey: "user-42:reindex", debounce: .milliseconds(600))
        var ids: Set<WorkflowRunID> = [first]
        for n in 2...4 {
            try await Task.sleep(for: .milliseconds(150))
            ids.insert(try await harness.engine.trigger(
                Reindex.self, input: ["n": .integer(Int64(n))], debounceKey: "user-42:reindex", debounce: .milliseconds(600)))
        }
        XCTAssertEqual(ids, [first], "triggers within the window started more than one run")
        let waiting = try await harness.store.run(first)
        XCTAssertEqual(waiting?.status, .sleeping, "the run started before the key was quiet")
        let run = try await harness.wait(for: first, toBe: .completed)
        XCTAssertEqual(run.result, #"{"n":4}"#, "the run did not take the last trigger's input")
        let steps = try await harness.steps(first)
        XCTAssertGreaterThanOrEqual(
            try XCTUnwrap(steps["index"]?.startedAt).timeIntervalSince(run.createdAt), 1.0, "the run started before 600 ms of quiet")

        let next = try await harness.engine.trigger(
            Reindex.self, input: ["n": 5], debounceKey: "user-42:reindex", debounce: .milliseconds(100))
        XCTAssertNotEqual(next, first, "a trigger after the run started joined the finished run")
        let other = try await harness.engine.trigger(
            Reindex.self, input: ["n": 6], debounceKey: "user-7:reindex", debounce: .milliseconds(100))
        XCTAssertNotEqual(other, next, "another key joined this key's run")
        try await harness.wait(for: next, toBe: .completed)
    }

    func testAMaximumWaitStartsTheRunHoweverOftenItIsTriggered() async throws {
        let harness = try await start()
        let began = Date()
        var runID: WorkflowRunID?
        while Date().timeIntervalSince(began) < 1.2 {
            let id = try await harness.engine.trigger(
                Reindex.self, input: ["t": .number(Date().timeIntervalSince(began))], debounceKey: "busy", debounce: .milliseconds(300),
                maxWait: .milliseconds(700))
            if runID == nil { runID = id }
            try await Task.sleep(for: .milliseconds(100))
        }
        let first = try XCTUnwrap(runID)
        let run = try await harness.wait(for: first, toBe: .completed)
        let steps = try await harness.steps(first)
        let started = try XCTUnwrap(steps["index"]?.startedAt)
        XCTAssertLessThan(started.timeIntervalSince(began), 1.1, "a key triggered every 100 ms waited past its maximum wait")
        XCTAssertNotNil(run.result)
        let runs = try await harness.store.listRuns(RunFilter(workflowID: Reindex.id), after: nil, limit: 10).runs
        XCTAssertEqual(runs.count, 2, "the triggers after the maximum wait did not collapse into one next run")
    }

    func testABadWindowIsRefusedByName() async throws {
        let harness = try await start()
        do {
            try await harness.engine.trigger(Reindex.self, input: nil, debounceKey: "k", debounce: .zero)
            XCTFail("a debounce of zero was accepted")
        } catch let error as InvalidParameterError {
            XCTAssertEqual(error.parameter, "debounce")
        }
        do {
            try await harness.engine.trigger(Reindex.self, input: nil, debounceKey: "k", debounce: .seconds(10), maxWait: .seconds(1))
            XCTFail("a maximum wait shorter than the window was accepted")
        } catch let error as InvalidParameterError {
            XCTAssertEqual(error.parameter, "maxWait")
        }
    }
}
