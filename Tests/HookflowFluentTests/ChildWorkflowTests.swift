import Foundation
import Hookflow
import XCTest

/// Doubles its input in a step.
private struct Doubler: Workflow {
    static let id = "doubler"
    let counter: Counter

    func run(_ ctx: WorkflowContext<Int>) async throws -> Int {
        try await ctx.step.run("double") {
            counter.hit("double-\(ctx.data)")
            return ctx.data * 2
        }
    }
}

/// Fails for good.
private struct Failing: Workflow {
    static let id = "failing"

    func run(_ ctx: WorkflowContext<Int>) async throws -> Int {
        try await ctx.step.run("explode") { () -> Int in throw NonRetryableError("card declined") }
    }
}

/// Not registered anywhere.
private struct Unregistered: Workflow {
    func run(_ ctx: WorkflowContext<Int>) async throws -> Int { ctx.data }
}

/// Invokes the child its input names and reports what it got.
private struct Parent: Workflow {
    static let id = "parent"

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        switch ctx.data {
        case "double":
            return "\(try await ctx.step.invoke("charge", Doubler.self, input: 21))"
        case "failing":
            do {
                _ = try await ctx.step.invoke("charge", Failing.self, input: 1)
                return "no error"
            } catch let error as ChildWorkflowError {
                return "\(error.childRunID)|\(error.status)|\(error.message)"
            }
        case "unregistered":
            return "\(try await ctx.step.invoke("ghost", Unregistered.self, input: 1))"
        default:
            // One child abandoned, one waited for: a parent's cancellation takes only the second.
            try await ctx.step.start("free", Dozing.self, input: nil)
            _ = try await ctx.step.invoke("held", Dozing.self, input: nil)
            return "woke"
        }
    }
}

/// Invokes itself with its input plus one, forever.
private struct Recursive: Workflow {
    static let id = "recursive"

    func run(_ ctx: WorkflowContext<Int>) async throws -> Int {
        try await ctx.step.invoke("deeper", Recursive.self, input: ctx.data + 1)
    }
}

/// 1,000 steps and 100 children at once.
private struct FanOut: Workflow {
    static let id = "fan-out"

    func run(_ ctx: WorkflowContext<Int>) async throws -> [Int] {
        let squares = try await ctx.step.map("square", Array(0..<ctx.data), concurrency: 16) { $0 * $0 }
        let doubled = try await ctx.step.invokeAll("double", Doubler.self, inputs: Array(0..<(ctx.data / 10)), concurrency: 10)
        return [squares.reduce(0, +), doubled.reduce(0, +), squares.count, doubled.count]
    }
}

/// Waits for two events and sleeps, all at once.
private struct ParallelWaits: Workflow {
    static let id = "parallel-waits"

    func run(_ ctx: WorkflowContext<String>) async throws -> [String] {
        try await ctx.step.parallel(["a", "b", "nap"], concurrency: 3) { name -> String in
            if name == "nap" {
                try await ctx.step.sleep("nap", for: .milliseconds(100))
                return "rested"
            }
            let value = try await ctx.step.waitForEvent("wait-\(name)", key: "\(ctx.data)-\(name)", as: String.self, timeout: .seconds(60))
            return value ?? "timed out"
        }
    }
}

/// Child workflows and fan-out, on every backend.
final class ChildWorkflowTests: XCTestCase {
    private func start(maxChildDepth: Int = 32, _ register: (inout WorkflowRegistry) -> Void) async throws -> Harness {
        let harness = try await Harness.start(workers: 4, maxChildDepth: maxChildDepth, register)
        addTeardownBlock { try await harness.stop() }
        return harness
    }

    func testInvokeReturnsTheChildsOutputAndLinksTheTwoRuns() async throws {
        let counter = Counter()
        let harness = try await start {
            $0.register(Parent())
            $0.register(Doubler(counter: counter))
        }
        let parentID = try await harness.engine.trigger(Parent.self, input: "double")
        let parent = try await harness.wait(for: parentID, toBe: .completed)
        XCTAssertEqual(parent.result, #""42""#)
        let child = try await harness.wait(for: WorkflowRunID("\(parentID):charge"), toBe: .completed)
        XCTAssertEqual(child.parent, RunParent(runID: parentID, cancelsWithParent: true))
        let children = try await harness.engine.children(of: parentID)
        XCTAssertEqual(children.map(\.runID), [child.runID])
        XCTAssertEqual(counter["double-21"], 1)
        let step = try await harness.steps(parentID)["charge"]
        XCTAssertEqual(step?.kind, .child)
        XCTAssertEqual(step?.status, .completed)
    }

    func testAFailedChildSurfacesInTheParentAsATypedErrorWithItsRunID() async throws {
        let harness = try await start {
            $0.register(Parent())
            $0.register(Failing())
        }
        let parentID = try await harness.engine.trigger(Parent.self, input: "failing")
        let parent = try await harness.wait(for: parentID, toBe: .completed)
        let result = try XCTUnwrap(parent.result)
        let parts = try JSONDecoder().decode(String.self, from: Data(result.utf8)).split(separator: "|")
        XCTAssertEqual(parts.first.map(String.init), "\(parentID):charge")
        XCTAssertEqual(parts.dropFirst().first.map(String.init), "failed")
        XCTAssertTrue(parts.last?.contains("card declined") == true, "\(parts)")
    }

    func testCancellingAParentCancelsTheChildItWaitsForAndLeavesAnAbandonedOneRunning() async throws {
        let harness = try await start {
            $0.register(Parent())
            $0.register(Dozing())
        }
        let parentID = try await harness.engine.trigger(Parent.self, input: "family")
        let held = WorkflowRunID("\(parentID):held")
        let free = WorkflowRunID("\(parentID):free")
        try await harness.wait(for: parentID, toBe: .sleeping)
        try await harness.wait(for: held, toBe: .sleeping)
        try await harness.wait(for: free, toBe: .sleeping)
        _ = try await harness.engine.cancel(parentID)
        try await harness.wait(for: parentID, toBe: .cancelled)
        try await harness.wait(for: held, toBe: .cancelled)
        let stillFree = try await harness.store.run(free)
        XCTAssertEqual(stillFree?.status, .sleeping, "an abandoned child was cancelled with its parent")
        XCTAssertEqual(stillFree?.parent?.cancelsWithParent, false)
    }

    func testAChildDeletedWhileItsParentWaitsEndsTheWaitAsAFailure() async throws {
        let path = try await temporaryDatabasePath()
        let first = try await Harness.start(path: path) {
            $0.register(Parent())
            $0.register(Dozing())
        }
        let parentID = try await first.engine.trigger(Parent.self, input: "family", runID: "orphaned")
        try await first.wait(for: parentID, toBe: .sleeping)
        try await first.wait(for: "orphaned:held", toBe: .sleeping)
        try await first.stop()
        // With no worker running, the child is cancelled and a clean-up deletes it.
        let store = try await openTestStore(path)
        _ = try await store.cancelRun("orphaned:held", now: Date())
        let report = try await store.deleteFinishedRuns(before: Date().addingTimeInterval(60), limit: 10, keepingDeadLetters: false)
        XCTAssertEqual(report.runs, 1)
        try await store.close()

        let second = try await Harness.start(path: path) {
            $0.register(Parent())
            $0.register(Dozing())
        }
        addTeardownBlock { try await second.stop() }
        let parent = try await second.wait(for: parentID, toBe: .failed)
        XCTAssertTrue(parent.errorMessage?.contains("no longer exists") == true, "\(String(describing: parent.errorMessage))")
    }

    func testAChildCreatedBeforeACrashIsTakenOverNotStartedTwice() async throws {
        let counter = Counter()
        let harness = try await start {
            $0.register(Parent())
            $0.register(Doubler(counter: counter))
        }
        // The invocation that started it died before its checkpoint: the child is there, the step is not.
        _ = try await harness.store.createRun(
            runID: "crashed:charge", workflowID: Doubler.id, input: "21", traceContext: nil,
            parent: RunParent(runID: "crashed", cancelsWithParent: true), now: Date())
        let parentID = try await harness.engine.trigger(Parent.self, input: "double", runID: "crashed")
        let parent = try await harness.wait(for: parentID, toBe: .completed)
        XCTAssertEqual(parent.result, #""42""#)
        let children = try await harness.engine.children(of: parentID)
        XCTAssertEqual(children.count, 1)
        XCTAssertEqual(counter["double-21"], 1, "the child ran twice")
    }

    func testInvokingAnUnregisteredWorkflowFailsTheParentStepBeforeAnythingStarts() async throws {
        let harness = try await start { $0.register(Parent()) }
        let parentID = try await harness.engine.trigger(Parent.self, input: "unregistered")
        let parent = try await harness.wait(for: parentID, toBe: .failed)
        let message = try XCTUnwrap(parent.errorMessage)
        XCTAssertTrue(message.contains("step 'ghost'") && message.contains("unknown workflow 'unregistered'"), message)
        let children = try await harness.engine.children(of: parentID)
        XCTAssertEqual(children.count, 0)
        let step = try await harness.steps(parentID)["ghost"]
        XCTAssertEqual(step?.status, .failed)
    }

    func testAWorkflowThatInvokesItselfStopsAtTheDepthLimit() async throws {
        let harness = try await start(maxChildDepth: 3) { $0.register(Recursive()) }
        let rootID = try await harness.engine.trigger(Recursive.self, input: 0, runID: "root")
        let deepest = try await harness.wait(for: "root:deeper:deeper:deeper", toBe: .failed)
        XCTAssertTrue(deepest.errorMessage?.contains("maxChildDepth") == true, "\(String(describing: deepest.errorMessage))")
        let root = try await harness.wait(for: rootID, toBe: .failed)
        XCTAssertTrue(root.errorMessage?.contains("root:deeper") == true, "\(String(describing: root.errorMessage))")
        let tooDeep = try await harness.store.run("root:deeper:deeper:deeper:deeper")
        XCTAssertNil(tooDeep, "a child was started beyond the limit")
    }

    func testAFanOutOfAThousandStepsAndAHundredChildrenKeepsEveryResult() async throws {
        let counter = Counter()
        let harness = try await start {
            $0.register(FanOut())
            $0.register(Doubler(counter: counter))
        }
        let runID = try await harness.engine.trigger(FanOut.self, input: 1000)
        let run = try await harness.wait(for: runID, toBe: .completed, timeout: .seconds(120))
        let squares = (0..<1000).reduce(0) { $0 + $1 * $1 }
        let doubled = (0..<100).reduce(0) { $0 + 2 * $1 }
        XCTAssertEqual(run.result, "[\(squares),\(doubled),1000,100]")
        let steps = try await harness.steps(runID)
        XCTAssertEqual(steps.count, 1100)
        XCTAssertTrue(steps.values.allSatisfy { $0.status == .completed })
        XCTAssertEqual(Set(steps.values.map(\.sequence)).count, 1100, "two steps share a position")
        for index in 0..<100 { XCTAssertEqual(counter["double-\(index)"], 1, "child \(index) ran its step again") }
        let children = try await harness.engine.children(of: runID)
        XCTAssertEqual(children.count, 100)
    }

    func testDurableWaitsInParallelAllResumeWhateverOrderTheyEndIn() async throws {
        let harness = try await start { $0.register(ParallelWaits()) }
        let runID = try await harness.engine.trigger(ParallelWaits.self, input: "w")
        try await harness.wait(for: runID, toBe: .sleeping)
        let steps = try await harness.steps(runID)
        XCTAssertEqual(Set(steps.keys), ["wait-a", "wait-b", "nap"], "a branch did not reach its wait")
        try await harness.engine.notify(key: "w-b", payload: "second")
        try await Task.sleep(for: .milliseconds(200))
        try await harness.engine.notify(key: "w-a", payload: "first")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #"["first","second","rested"]"#)
    }
}
