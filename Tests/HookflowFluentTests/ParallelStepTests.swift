import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// Waits about `seconds` without noticing Task cancellation, as much real work does.
private func busy(_ seconds: Double) async {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume() }
    }
}

/// A step beside a sleep, awaited in either order, and a task group whose members sleep and work.
private struct SiblingOfASleep: Workflow {
    static let id = "sibling-of-a-sleep"
    let counter: Counter

    func run(_ ctx: WorkflowContext<Bool>) async throws -> Int {
        let awaitSleepFirst = ctx.data
        async let work: Int = ctx.step.run("work") { () -> Int in
            await busy(0.15)
            return counter.hit("work")
        }
        async let nap: Void = ctx.step.sleep("nap", for: .milliseconds(50))
        if awaitSleepFirst {
            try await nap
            return try await work
        }
        let (value, _) = try await (work, nap)
        let fanned = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<6 {
                group.addTask {
                    if index % 2 == 0 {
                        try await ctx.step.sleep("group-nap-\(index)", for: .milliseconds(30 + 10 * index))
                        return 0
                    }
                    return try await ctx.step.run("group-work-\(index)") { () -> Int in
                        await busy(0.05)
                        counter.hit("group-work-\(index)")
                        return index
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        return value + fanned
    }
}

/// Steps run beside a durable wait keep their checkpoints (issue 10, defect 4).
final class ParallelStepTests: XCTestCase {
    func testACompletedSiblingOfASleepIsCheckpointedNotRunAgain() async throws {
        let counter = Counter()
        let harness = try await Harness.start(workers: 2) { $0.register(SiblingOfASleep(counter: counter)) }
        addTeardownBlock { try await harness.stop() }
        let inOrder = try await harness.engine.trigger(SiblingOfASleep.self, input: false)
        let done = try await harness.wait(for: inOrder, toBe: .completed)
        XCTAssertEqual(counter["work"], 1, "the sibling's finished body ran again after the sleep")
        for index in [1, 3, 5] { XCTAssertEqual(counter["group-work-\(index)"], 1, "group-work-\(index) ran again") }
        XCTAssertEqual(done.result, "10", "1 + 1 + 3 + 5")
        let steps = try await harness.steps(inOrder)
        XCTAssertEqual(steps["work"]?.attempts, 1)
        XCTAssertTrue(steps.values.allSatisfy { $0.status == .completed }, "\(steps.values.map { ($0.stepID, $0.status) })")

        let sleepFirst = try await harness.engine.trigger(SiblingOfASleep.self, input: true)
        try await harness.wait(for: sleepFirst, toBe: .completed)
        XCTAssertEqual(counter["work"], 2, "the sibling awaited after the sleep ran twice (once per run is expected)")
    }
}
