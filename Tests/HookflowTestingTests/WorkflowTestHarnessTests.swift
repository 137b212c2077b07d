import Foundation
import Synchronization
import Hookflow
import HookflowFluent
import HookflowTesting
import XCTest

struct WeekLongTrial: Workflow {
    struct Output: Codable, Sendable, Equatable { var reminded: Bool; var charged: String }

    func run(_ ctx: WorkflowContext<String>) async throws -> Output {
        try await ctx.step.run("welcome") {}
        try await ctx.step.sleep("trial", for: .seconds(7 * 24 * 3600))
        try await ctx.step.run("remind") {}
        let charged = try await ctx.step.run(
            "charge", retry: .exponential(maxAttempts: 3, initialDelay: .seconds(600))
        ) { () -> String in
            if ctx.data == "declined" { throw NonRetryableError("card declined") }
            return "charged \(ctx.data)"
        }
        return Output(reminded: true, charged: charged)
    }
}

struct FlakyOnce: Workflow {
    let attempts: Attempts
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Int {
        try await ctx.step.run("flaky", retry: .exponential(maxAttempts: 3, initialDelay: .seconds(3600))) { () -> Int in
            let attempt = attempts.next()
            if attempt < 3 { throw TransientError() }
            return attempt
        }
    }
}

struct TransientError: Error {}

/// Counts attempts of the flaky step.
final class Attempts: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}

final class WorkflowTestHarnessTests: XCTestCase {
    func testAWeekLongSleepCompletesWithoutWaiting() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let harness = try await WorkflowTestHarness.make(start: start) { $0.register(WeekLongTrial()) }
        let began = ContinuousClock.now
        let output = try await harness.run(WeekLongTrial.self, input: "card-1")

        XCTAssertEqual(output, .init(reminded: true, charged: "charged card-1"))
        XCTAssertLessThan(ContinuousClock.now - began, .seconds(5), "the harness waited the sleep out")
        XCTAssertGreaterThanOrEqual(harness.clock.now.timeIntervalSince(start), 7 * 24 * 3600)
        let steps = try await harness.steps(of: try XCTUnwrap(harness.lastRunID))
        XCTAssertEqual(steps.map(\.stepID), ["welcome", "trial", "remind", "charge"])
        try await harness.close()
    }

    func testRetryBackOffsAreSkippedAndAttemptsCounted() async throws {
        let harness = try await WorkflowTestHarness.make { $0.register(FlakyOnce(attempts: Attempts())) }
        let attempt = try await harness.run(FlakyOnce.self, input: [:])
        XCTAssertEqual(attempt, 3)
        let steps = try await harness.steps(of: try XCTUnwrap(harness.lastRunID))
        XCTAssertEqual(steps.first?.attempts, 3)
        try await harness.close()
    }

    func testAFailedRunThrowsItsError() async throws {
        let harness = try await WorkflowTestHarness.make { $0.register(WeekLongTrial()) }
        do {
            _ = try await harness.run(WeekLongTrial.self, input: "declined")
            XCTFail("a failed run returned")
        } catch let error as WorkflowRunFailed {
            XCTAssertEqual(error.message, "step 'charge' failed after 1 attempt: card declined")
        }
        try await harness.close()
    }

    func testTheHarnessKeepsItsRunsInMemoryUnlessGivenAStore() async throws {
        let harness = try await WorkflowTestHarness.make { $0.register(WeekLongTrial()) }
        XCTAssertTrue(harness.store is InMemoryWorkflowStore)
        try await harness.close()
    }

    func testTheSameWorkflowRunsOnARealSQLiteFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-harness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("runs.sqlite").path
        let harness = try await WorkflowTestHarness.make(store: try await SQLiteWorkflowStore.open(path: path)) {
            $0.register(WeekLongTrial())
        }
        let output = try await harness.run(WeekLongTrial.self, input: "card-2", runID: "on-disk")
        try await harness.close()
        XCTAssertEqual(output, .init(reminded: true, charged: "charged card-2"))

        let reopened = try await SQLiteWorkflowStore.open(path: path)
        let run = try await reopened.run("on-disk")
        XCTAssertEqual(run?.status, .completed, "the run was not written to the file")
        try await reopened.close()
    }
}

/// Validates, charges (through the new path when `charge` says so), sleeps a day, ships.
private struct Shipping: Workflow {
    static let id = "shipping"
    var chargeStep = "charge"
    var versions = 1...2

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        try await ctx.step.run("validate") {}
        let version = try await ctx.step.version("carrier", min: versions.lowerBound, max: versions.upperBound)
        try await ctx.step.run(chargeStep) {}
        try await ctx.step.sleep("cool-off", for: .seconds(86_400))
        return try await ctx.step.run("ship") { "shipped \(ctx.data) v\(version)" }
    }
}

final class WorkflowReplayerTests: XCTestCase {
    /// A finished run's history, written to a file.
    private func recordedHistory() async throws -> URL {
        let harness = try await WorkflowTestHarness.make { $0.register(Shipping()) }
        _ = try await harness.run(Shipping.self, input: "A-1", runID: "ship-1")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString).json")
        try await harness.engine.history(of: "ship-1").write(to: file)
        try await harness.close()
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        return file
    }

    func testAHistoryReplaysAgainstTheCodeThatRecordedIt() async throws {
        let file = try await recordedHistory()
        let history = try RunHistory(contentsOf: file)
        XCTAssertEqual(history.steps.map(\.stepID), ["validate", "hookflow.version:carrier", "charge", "cool-off", "ship"])
        try await WorkflowReplayer { $0.register(Shipping()) }.replay(contentsOf: file)
    }

    func testARenamedStepFailsTheReplayNamingTheStep() async throws {
        let file = try await recordedHistory()
        do {
            try await WorkflowReplayer { $0.register(Shipping(chargeStep: "charge-card")) }.replay(contentsOf: file)
            XCTFail("a renamed step replayed")
        } catch let error as ReplayDivergenceError {
            XCTAssertTrue(error.reason.contains("'charge-card'") && error.reason.contains("'charge'"), error.reason)
        }
    }

    func testAVersionNoLongerSupportedFailsTheReplayNamingTheChange() async throws {
        let file = try await recordedHistory()
        do {
            try await WorkflowReplayer { $0.register(Shipping(versions: 3...3)) }.replay(contentsOf: file)
            XCTFail("a version out of range replayed")
        } catch let error as ReplayDivergenceError {
            XCTAssertTrue(error.reason.contains("version 2 of change 'carrier'") && error.reason.contains("3 to 3"), error.reason)
        }
    }
}
