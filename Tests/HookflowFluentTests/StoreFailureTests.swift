import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// What a database that refuses a value answers.
private struct Refused: Error, CustomStringConvertible {
    var description: String { "value too long for type character varying(255)" }
}

private struct WritesARefusedStep: Workflow {
    static let id = "writes-a-refused-step"
    let counter: Counter
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.run("fine") { true }
        return try await ctx.step.run("refused") { () -> Bool in
            counter.hit("refused")
            return true
        }
    }
}

/// A store error that always recurs fails the run after a bounded number of tries (issue 10, defect 5).
final class StoreFailureTests: XCTestCase {
    func testAStoreErrorThatAlwaysRecursFailsTheRunWithADeadLetterNamingIt() async throws {
        let base = try await openTestStore(try await temporaryDatabasePath())
        let store = InterceptingStore(base) { _, step, _ in if step?.stepID == "refused" { throw Refused() } }
        let counter = Counter()
        let engine = startEngine(on: store, workers: 1, leaseDuration: .milliseconds(150)) {
            $0.register(WritesARefusedStep(counter: counter))
        }
        let runID = try await engine.trigger(WritesARefusedStep.self, input: [:])
        let failed = try await eventually(timeout: .seconds(20)) { try await base.run(runID)?.status == .failed }
        XCTAssertTrue(failed, "the run kept being retried")
        let run = try await base.run(runID)
        let message = try XCTUnwrap(run?.errorMessage)
        XCTAssertTrue(message.contains("ended without progress"), message)
        XCTAssertTrue(message.contains("value too long for type character varying(255)"), message)
        XCTAssertEqual(counter["refused"], 3, "the step body ran \(counter["refused"]) times")
        let letters = try await base.deadLetters(limit: 5)
        XCTAssertEqual(letters.map(\.runID), [runID])
    }
}
