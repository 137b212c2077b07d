import Foundation
import GitHubFake
import Hookflow
import HookflowFluent
import HookflowGitHub
import Logging
import XCTest

/// Dispatches `deploy.yml` with the input as `version`, waits for the run, returns its conclusion.
struct Deploy: Workflow {
    static let id = "deploy"
    let github: GitHubClient
    var correlationInput: String? = "distinct_id"
    var timeout: Duration = .seconds(60)

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        let run = try await ctx.step.dispatchGitHubWorkflow(
            "deploy", using: github, workflow: "deploy.yml", inputs: ["version": ctx.data],
            correlationInput: correlationInput)
        let outcome = try await ctx.step.waitForGitHubRun("deployed", run, using: github, timeout: timeout)
        return "\(outcome.runID):\(outcome.conclusion?.rawValue ?? "none")"
    }
}

final class DurableGitHubStepsTests: GitHubFakeTestCase {
    private var store: SQLiteWorkflowStore!
    private var engine: WorkflowEngine?
    private var workers: Task<Void, Never>?

    override func tearDown() async throws {
        engine?.beginShutdown()
        await workers?.value
        try await store?.close()
        try await super.tearDown()
    }

    /// A polling client: first pause 100 ms, doubling up to 400 ms.
    private func pollingClient() -> GitHubClient {
        client {
            $0.pollInterval = .milliseconds(100)
            $0.maxPollInterval = .milliseconds(400)
        }
    }

    private func startEngine(_ workflow: Deploy, path: String? = nil) async throws -> WorkflowEngine {
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .critical
        let path = path ?? Self.databasePath()
        store = try await SQLiteWorkflowStore.open(path: path, logger: logger)
        var registry = WorkflowRegistry()
        registry.register(workflow)
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: LocalTransport(workers: 2, safetyInterval: .seconds(3600)),
            configuration: .init(leaseDuration: .seconds(2), logger: logger))
        self.engine = engine
        workers = Task { await HookflowService(engine: engine).run() }
        return engine
    }

    private func finished(_ runID: WorkflowRunID, timeout: Duration = .seconds(20)) async throws -> RunRecord {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let run = try await store.run(runID), run.status == .completed || run.status == .failed { return run }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("run \(runID) did not finish in \(timeout)")
        throw CancellationError()
    }

    /// The fake's answers to looks at a run (`GET …/actions/runs/{id}`), in order.
    private func looks() async throws -> [JSON] {
        try await fake.requests().filter {
            $0["method"] == "GET" && $0["path"].stringValue?.contains("/actions/runs/") == true
        }
    }

    private static func databasePath() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-github-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("hookflow.sqlite").path
    }

    func testDispatchThenWaitByDurablePolling() async throws {
        try await fake.control("config", ["auto_advance": true])
        let engine = try await startEngine(Deploy(github: pollingClient()))
        let runID = try await engine.trigger(Deploy.self, input: "1.4.2")
        let run = try await finished(runID)

        let runs = try await fake.control("runs").arrayValue ?? []
        XCTAssertEqual(runs.count, 1, "the workflow was dispatched more than once across its replays")
        let githubRun = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.status, .completed, run.errorMessage ?? "")
        XCTAssertEqual(run.result, #""\#(githubRun["id"].intValue ?? 0):success""#)
        XCTAssertEqual(githubRun["inputs"]["version"], "1.4.2")

        let polls = try await looks()
        XCTAssertGreaterThanOrEqual(polls.count, 2, "the run completed without polling")
        // However many looks, the wait keeps three rows: its deadline, the last look and its wait.
        let steps = try await store.steps(of: runID)
        let waitRows = steps.filter { $0.stepID.hasPrefix("deployed.") }.map(\.stepID).sorted()
        XCTAssertEqual(waitRows, ["deployed.deadline", "deployed.poll", "deployed.wait"])
        let byID = Dictionary(uniqueKeysWithValues: steps.map { ($0.stepID, $0) })
        let last = try JSONDecoder().decode(JSON.self, from: Data((byID["deployed.poll"]?.result ?? "{}").utf8))
        XCTAssertEqual(last["number"].intValue, polls.count - 1, "the last look is not the one recorded")
        // The wait before the last look paused as long as its look number says: 100 ms doubling up to 400 ms.
        if let wait = byID["deployed.wait"], let wake = wait.wakeAt, let started = wait.startedAt {
            let expected = min(0.1 * pow(2, Double(polls.count - 2)), 0.4)
            XCTAssertEqual(wake.timeIntervalSince(started), expected, accuracy: 0.05)
        } else {
            XCTFail("the wait row has no pause")
        }
        let dispatches = try await requests(endingWith: "/dispatches")
        XCTAssertEqual(dispatches.count, 1)
    }

    func testAWaitOfManyLooksKeepsThreeStepRows() async throws {
        let engine = try await startEngine(Deploy(github: pollingClient()))
        let runID = try await engine.trigger(Deploy.self, input: "3.0")
        // Many looks at a run that does not change, then it completes.
        try await Task.sleep(for: .milliseconds(2500))
        let lookCount = try await looks().count
        XCTAssertGreaterThanOrEqual(lookCount, 6)
        let rows = try await store.steps(of: runID).count
        let runs = try await fake.control("runs").arrayValue
        let githubRun = try XCTUnwrap(runs?.first?["id"].intValue)
        try await fake.control("runs/\(githubRun)/advance", ["status": "completed", "conclusion": "success"])
        let run = try await finished(runID)
        XCTAssertEqual(run.result, #""\#(githubRun):success""#)
        let after = try await store.steps(of: runID)
        XCTAssertEqual(rows, after.count, "\(lookCount) looks left \(rows) rows, then \(after.count)")
        XCTAssertLessThanOrEqual(after.count, 5, "the dispatch's two rows and the wait's three: \(after.map(\.stepID))")
    }

    func testPollsOfAnUnchangedRunAreConditional() async throws {
        let engine = try await startEngine(Deploy(github: pollingClient()))
        let runID = try await engine.trigger(Deploy.self, input: "2.0")
        // Let it look a few times at a run that does not change.
        try await Task.sleep(for: .milliseconds(900))
        let polls = try await looks()
        XCTAssertGreaterThanOrEqual(polls.count, 3)
        XCTAssertNil(polls.first?["headers"]["if-none-match"].stringValue, "the first look has nothing to compare with")
        XCTAssertTrue(polls.dropFirst().allSatisfy { $0["status"] == 304 }, "an unchanged run was fetched in full")
        XCTAssertTrue(polls.dropFirst().allSatisfy { $0["headers"]["if-none-match"].stringValue != nil })

        let runs = try await fake.control("runs").arrayValue
        let githubRun = try XCTUnwrap(runs?.first?["id"].intValue)
        try await fake.control("runs/\(githubRun)/advance", ["status": "completed", "conclusion": "success"])
        let run = try await finished(runID)
        XCTAssertEqual(run.result, #""\#(githubRun):success""#, "a change after 304s was missed")
    }

    func testWaitTimesOutWhenTheRunNeverCompletes() async throws {
        let engine = try await startEngine(Deploy(github: pollingClient(), timeout: .milliseconds(500)))
        let runID = try await engine.trigger(Deploy.self, input: "slow")
        let run = try await finished(runID)
        XCTAssertEqual(run.status, .failed)
        XCTAssertTrue(run.errorMessage?.contains("did not complete within") == true, run.errorMessage ?? "")
    }

    /// A worker dispatched, then died before checkpointing: the next invocation must find
    /// that run instead of dispatching a second one.
    func testCrashBetweenDispatchAndCheckpointDoesNotDispatchTwice() async throws {
        for correlationInput in ["distinct_id", nil] as [String?] {
            try await fake.control("reset", [:])
            try await fake.configureShop()
            try await fake.control("config", ["auto_advance": true])
            let github = pollingClient()
            let path = Self.databasePath()
            let runID = WorkflowRunID("crashed-\(correlationInput ?? "by-time")")
            let lost = try await simulateDispatchLostBeforeCheckpoint(
                runID: runID, path: path, github: github, correlationInput: correlationInput)

            _ = try await startEngine(Deploy(github: github, correlationInput: correlationInput), path: path)
            let run = try await finished(runID)
            XCTAssertEqual(run.result, #""\#(lost.runID):success""#, "correlation \(correlationInput ?? "by time")")
            let dispatches = try await requests(endingWith: "/dispatches")
            XCTAssertEqual(dispatches.count, 1, "the recovered invocation dispatched again")
            engine?.beginShutdown()
            await workers?.value
            try await store.close()
            store = nil
        }
    }

    /// Leaves `runID` as a worker that died would: its dispatch intent checkpointed, the
    /// dispatch sent and accepted by GitHub, and no checkpoint of it; the lease ends in 300 ms.
    private func simulateDispatchLostBeforeCheckpoint(
        runID: WorkflowRunID, path: String, github: GitHubClient, correlationInput: String?
    ) async throws -> GitHubDispatchedRun {
        let store = try await SQLiteWorkflowStore.open(path: path)
        let now = Date()
        _ = try await store.createRun(runID: runID, workflowID: Deploy.id, input: #""2.0.0""#, now: now)
        _ = try await store.claimRun(runID, owner: "dead-worker", leaseUntil: now + 0.3, now: now)
        let correlationID = "0d1b2c3e-lost"
        let intent = #"{"correlationID":"\#(correlationID)","recordedAt":\#(now.timeIntervalSinceReferenceDate - 1)}"#
        try await store.commit(
            runID: runID, owner: "dead-worker",
            step: StepRecord(stepID: "deploy.intent", kind: .run, status: .completed, result: intent, attempts: 1, sequence: 0, executedAt: now),
            transition: .keepRunning(leaseUntil: now + 0.3), now: now)
        var inputs = ["version": "2.0.0"]
        if let correlationInput { inputs[correlationInput] = correlationID }
        let lost = try await github.dispatch("deploy.yml", inputs: inputs)
        try await store.close()
        return lost
    }
}

final class GitHubRunEventTests: XCTestCase {
    private static func event(action: String, status: String, conclusion: String?) throws -> GitHubWorkflowRunEvent {
        let conclusionJSON = conclusion.map { "\"\($0)\"" } ?? "null"
        let body = """
            {"action": "\(action)", "repository": {"full_name": "Acme/Shop"},
             "workflow_run": {"id": 7, "display_title": "Deploy", "status": "\(status)", "conclusion": \(conclusionJSON),
              "run_number": 1, "run_attempt": 2, "event": "workflow_dispatch", "head_sha": "abc", "path": ".github/workflows/d.yml",
              "workflow_id": 1, "html_url": "https://github.com/acme/shop/actions/runs/7", "url": "https://api.github.com/x",
              "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:05:00Z"}}
            """
        return try GitHubWorkflowRunEvent.decode(Data(body.utf8))
    }

    func testOnlyACompletedRunIsNotifiedUnderItsAttemptsKey() async throws {
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .critical
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-event-\(UUID().uuidString).sqlite").path
        let store = try await SQLiteWorkflowStore.open(path: path, logger: logger)
        let engine = WorkflowEngine(
            store: store, registry: WorkflowRegistry(), transport: LocalTransport(), configuration: .init(logger: logger))
        let key = GitHubRunSnapshot.eventKey(repository: try GitHubRepository("acme/shop"), runID: 7, attempt: 2)

        try await engine.notify(try Self.event(action: "in_progress", status: "in_progress", conclusion: nil))
        let early = try await store.event(key: key, now: Date())
        XCTAssertNil(early, "a run that is still in progress was notified as an event")

        try await engine.notify(try Self.event(action: "completed", status: "completed", conclusion: "success"))
        let stored = try await store.event(key: key, now: Date())
        let payload = try XCTUnwrap(stored)
        let snapshot = try JSONDecoder().decode(GitHubRunSnapshot.self, from: Data(payload.utf8))
        XCTAssertEqual(snapshot.conclusion, .success)
        XCTAssertEqual(snapshot.runAttempt, 2)
        try await store.close()
    }
}
