import Foundation
import Hookflow
import XCTest

/// One look at something, numbered, with when it was taken.
struct Look: Codable, Sendable {
    var number: Int
    var seen: Int
    var at: Date
}

/// Looks at a counter until it reads 5, pausing durably between looks, on two step rows.
struct PollUntilFive: Workflow {
    static let id = "poll-until-five"
    let counter: Counter

    func run(_ ctx: WorkflowContext<String>) async throws -> Int {
        func look(_ number: Int) async throws -> Look {
            try await ctx.step.run("poll", isCurrent: { $0.number >= number }) {
                Look(number: number, seen: counter.hit("poll"), at: ctx.step.now)
            }
        }
        var last = try await look(0)
        while last.seen < 5 {
            _ = try await ctx.step.waitForEvent(
                "pause", key: "never:\(ctx.data)", as: String.self, timeout: .milliseconds(30), startedAfter: last.at)
            last = try await look(last.number + 1)
        }
        return last.number
    }
}

final class RoundStepTests: XCTestCase {
    func testALoopOfLooksAndPausesKeepsOneRowForEachAndRunsEachLookOnce() async throws {
        let counter = Counter()
        let harness = try await Harness.start { $0.register(PollUntilFive(counter: counter)) }
        addTeardownBlock { try? await harness.stop() }
        let runID = try await harness.engine.trigger(PollUntilFive.self, input: "a")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, "4", "the loop did not resume at its last look")
        XCTAssertEqual(counter["poll"], 5, "a look ran again on replay, or a round was skipped")
        let steps = try await harness.steps(runID)
        XCTAssertEqual(Set(steps.keys), ["poll", "pause"], "the rounds added rows")
        XCTAssertEqual(steps["pause"]?.status, .completed)
        XCTAssertEqual(run.historyVersion, 5, "one claim to start, and one to wake from each of the four pauses")
    }
}
