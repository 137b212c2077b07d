import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// `hookflow-demo hookflow runs|show|retry|rerun|fork|dead-letters|cleanup|settings`, run as
/// processes on a database the test filled.
final class OperatorCommandTests: XCTestCase {
    private var folder: URL!
    private var path: String!

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("runs.sqlite").path
        let folder = self.folder!
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        // A run of process-order that completed with two steps, and one that failed at "charge", an hour ago.
        let store = try await SQLiteWorkflowStore.open(path: path)
        let then = Date().addingTimeInterval(-3600)
        for (runID, fails) in [("order-done", false), ("order-failed", true)] {
            _ = try await store.createRun(runID: WorkflowRunID(runID), workflowID: "process-order", input: #"{"order_id":"A-1"}"#, now: then)
            _ = try await store.claimRun(WorkflowRunID(runID), owner: "test", leaseUntil: then + 30, now: then)
            try await store.commit(
                runID: WorkflowRunID(runID), owner: "test",
                step: StepRecord(stepID: "validate", kind: .run, status: .completed, result: #"{"order_id":"A-1"}"#, attempts: 1, sequence: 0, executedAt: then),
                transition: .keepRunning(leaseUntil: then + 30), now: then)
            let charge = StepRecord(
                stepID: "charge", kind: .call, status: fails ? .failed : .completed, result: fails ? nil : "{}",
                errorMessage: fails ? "card declined" : nil, attempts: fails ? 3 : 1, sequence: 1, executedAt: then)
            try await store.commit(
                runID: WorkflowRunID(runID), owner: "test", step: charge,
                transition: fails ? .fail(stepID: "charge", error: "card declined") : .complete(result: #"{"status":"completed"}"#),
                now: then)
        }
        try await store.close()
    }

    private func hookflow(_ arguments: String...) throws -> DemoCommand.Finished {
        try DemoCommand.run(["hookflow"] + arguments, environment: ["HOOKFLOW_DATABASE_URL": "sqlite://\(path!)"], in: folder)
    }

    private func runs() async throws -> [RunRecord] {
        let store = try await SQLiteWorkflowStore.open(path: path)
        let runs = try await store.listRuns(RunFilter(), after: nil, limit: 100).runs
        try await store.close()
        return runs
    }

    func testSchedulesAreListedPausedResumedFiredAndDeletedFromTheCommandLine() async throws {
        let environment = ["HOOKFLOW_DATABASE_URL": "sqlite://\(path!)", "HOOKFLOW_DEMO_HEARTBEAT_SECONDS": "60"]
        func schedules(_ arguments: String...) throws -> DemoCommand.Finished {
            try DemoCommand.run(["hookflow", "schedules"] + arguments, environment: environment, in: folder)
        }
        let table = try schedules()
        XCTAssertEqual(table.status, 0, table.errors)
        XCTAssertTrue(table.output.hasPrefix("NAME"), table.output)
        XCTAssertTrue(table.output.contains("heartbeat") && table.output.contains("every 60 s") && table.output.contains("active"), table.output)

        let paused = try schedules("--pause", "heartbeat")
        XCTAssertEqual(paused.output.trimmingCharacters(in: .whitespacesAndNewlines), "paused: heartbeat", paused.errors)
        let json = try schedules("--json")
        let listed = try JSONDecoder().decode(JSON.self, from: Data(json.output.utf8))
        XCTAssertEqual(listed[0]["paused"], true, "a declaration at boot resumed a paused schedule: \(json.output)")
        let resumed = try schedules("--resume", "heartbeat")
        XCTAssertTrue(resumed.output.hasPrefix("resumed: heartbeat, next at"), resumed.output + resumed.errors)

        let triggered = try schedules("--trigger", "heartbeat")
        XCTAssertTrue(triggered.output.hasPrefix("triggered: run "), triggered.output + triggered.errors)
        let scheduled = try await runs().filter { $0.scheduledBy?.name == "heartbeat" }
        XCTAssertEqual(scheduled.count, 1, "a command that is not serve fired the schedule or did not trigger it")

        let deleted = try DemoCommand.run(
            ["hookflow", "schedules", "--delete", "heartbeat"], environment: ["HOOKFLOW_DATABASE_URL": "sqlite://\(path!)"], in: folder)
        XCTAssertEqual(deleted.status, 0, deleted.errors)
        let missing = try DemoCommand.run(
            ["hookflow", "schedules", "--pause", "heartbeat"], environment: ["HOOKFLOW_DATABASE_URL": "sqlite://\(path!)"], in: folder)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.errors.contains(#"no schedule is called "heartbeat""#), missing.errors)
    }

    func testRunsAreListedAsATableOrJSONAndFilteredByStatus() throws {
        let table = try hookflow("runs")
        XCTAssertEqual(table.status, 0, table.errors)
        let lines = table.output.split(separator: "\n")
        XCTAssertTrue(lines.first?.hasPrefix("RUN") ?? false, table.output)
        XCTAssertEqual(lines.count, 3, table.output)
        let failed = try hookflow("runs", "--status", "failed")
        XCTAssertTrue(failed.output.contains("order-failed"), failed.output)
        XCTAssertFalse(failed.output.contains("order-done"), failed.output)

        let json = try hookflow("runs", "--json", "--limit", "1")
        XCTAssertEqual(json.status, 0, json.errors)
        let page = try JSONDecoder().decode(JSON.self, from: Data(json.output.utf8))
        XCTAssertEqual(page["runs"].arrayValue?.count, 1)
        let cursor = try XCTUnwrap(page["next_cursor"].stringValue)
        let next = try hookflow("runs", "--json", "--cursor", cursor)
        let rest = try JSONDecoder().decode(JSON.self, from: Data(next.output.utf8))
        XCTAssertEqual(rest["runs"].arrayValue?.count, 1)
        XCTAssertNotEqual(rest["runs"][0]["run_id"], page["runs"][0]["run_id"], "the cursor repeated a run")
        XCTAssertTrue(rest["next_cursor"].isNull)
    }

    func testMistakesExitWithStatus1AndNameTheValue() throws {
        let unknown = try hookflow("show", "nobody")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.errors.contains("no run \"nobody\""), unknown.errors)
        let limit = try hookflow("runs", "--limit", "0")
        XCTAssertEqual(limit.status, 1)
        XCTAssertTrue(limit.errors.contains("--limit: \"0\" must be between 1 and 1000"), limit.errors)
        let status = try hookflow("runs", "--status", "stuck")
        XCTAssertEqual(status.status, 1)
        XCTAssertTrue(status.errors.contains("--status: 'stuck'"), status.errors)
        let retry = try hookflow("retry", "order-done")
        XCTAssertEqual(retry.status, 1)
        XCTAssertTrue(retry.errors.contains("it is completed, not failed"), retry.errors)
    }

    func testShowPrintsTheRunAndItsSteps() throws {
        let shown = try hookflow("show", "order-failed")
        XCTAssertEqual(shown.status, 0, shown.errors)
        for text in ["order-failed", "process-order", "failed", "card declined", "validate", "charge"] {
            XCTAssertTrue(shown.output.contains(text), "\(text) missing from\n\(shown.output)")
        }
        let json = try hookflow("show", "order-failed", "--json")
        let run = try JSONDecoder().decode(JSON.self, from: Data(json.output.utf8))
        XCTAssertEqual(run["steps"].arrayValue?.map { $0["step_id"].stringValue ?? "" }, ["validate", "charge"])
    }

    func testRetryRerunAndForkChangeTheStoreAndStartNoWorker() async throws {
        let retried = try hookflow("retry", "order-failed")
        XCTAssertEqual(retried.status, 0, retried.errors)
        XCTAssertTrue(retried.output.contains("order-failed is pending"), retried.output)
        let rerun = try hookflow("rerun", "order-done")
        XCTAssertEqual(rerun.status, 0, rerun.errors)
        let fork = try hookflow("fork", "order-done", "--from-step", "charge")
        XCTAssertEqual(fork.status, 0, fork.errors)
        let all = try await runs()
        XCTAssertEqual(all.count, 4)
        // The commands start no workers: what they started waits for the server.
        XCTAssertEqual(all.filter { $0.status == .pending }.count, 3)
        let letters = try hookflow("dead-letters", "--json")
        let entries = try JSONDecoder().decode(JSON.self, from: Data(letters.output.utf8))
        XCTAssertEqual(entries.arrayValue?.count, 1)
        XCTAssertFalse(entries[0]["replayed_at"].isNull, "the retry did not mark the dead letter replayed")
    }

    func testCancelStopsARunFromAnotherProcessAndSaysWhenItHadFinished() async throws {
        let store = try await SQLiteWorkflowStore.open(path: path)
        let now = Date()
        for runID: WorkflowRunID in ["order-asleep", "order-busy"] {
            _ = try await store.createRun(runID: runID, workflowID: "process-order", input: #"{"order_id":"A-2"}"#, now: now)
            _ = try await store.claimRun(runID, owner: "server", leaseUntil: now + 3600, now: now)
        }
        try await store.commit(runID: "order-asleep", owner: "server", step: nil, transition: .suspend(wakeAt: now + 3600), now: now)
        try await store.close()

        let asleep = try hookflow("cancel", "order-asleep")
        XCTAssertEqual(asleep.status, 0, asleep.errors)
        XCTAssertTrue(asleep.output.contains("cancelled: order-asleep"), asleep.output)
        let busy = try hookflow("cancel", "order-busy")
        XCTAssertEqual(busy.status, 0, busy.errors)
        XCTAssertTrue(busy.output.contains("cancelling: order-busy"), busy.output)
        let done = try hookflow("cancel", "order-done")
        XCTAssertEqual(done.status, 0, done.errors)
        XCTAssertTrue(done.output.contains("not cancelled: order-done had already finished (completed)"), done.output)
        let unknown = try hookflow("cancel", "nobody")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.errors.contains("nobody"), unknown.errors)

        let all = Dictionary(uniqueKeysWithValues: try await runs().map { ($0.runID, $0) })
        XCTAssertEqual(all["order-asleep"]?.status, .cancelled)
        XCTAssertEqual(all["order-busy"]?.status, .running, "the server's invocation ends it")
        XCTAssertNotNil(all["order-busy"]?.cancelRequestedAt)
        XCTAssertEqual(all["order-done"]?.status, .completed)
    }

    func testCleanupCountsInADryRunThenDeletesWhatIsOlder() async throws {
        let dry = try hookflow("cleanup", "--days-old", "0", "--dry-run")
        XCTAssertEqual(dry.status, 0, dry.errors)
        XCTAssertTrue(dry.output.contains("would delete 2 runs and 1 dead letters"), dry.output)
        let kept = try hookflow("cleanup", "--days-old", "1")
        XCTAssertTrue(kept.output.contains("deleted 0 runs and 0 dead letters"), kept.output)
        let deleted = try hookflow("cleanup", "--days-old", "0", "--workflows-only")
        XCTAssertTrue(deleted.output.contains("deleted 2 runs and 0 dead letters"), deleted.output)
        let left = try await runs()
        XCTAssertEqual(left, [])
        let letters = try hookflow("dead-letters", "--json")
        let entries = try JSONDecoder().decode(JSON.self, from: Data(letters.output.utf8))
        XCTAssertEqual(entries.arrayValue?.count, 1, "--workflows-only deleted a dead letter")
        let id = try XCTUnwrap(entries[0]["id"].stringValue)
        let gone = try hookflow("dead-letters", "--delete", id)
        XCTAssertEqual(gone.status, 0, gone.errors)
        let again = try hookflow("dead-letters", "--delete", id)
        XCTAssertEqual(again.status, 1)
        let missing = try hookflow("cleanup")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.errors.contains("--days-old is required"), missing.errors)
    }

    /// `hookflow settings` with `environment` only (no HOOKFLOW_DATABASE_URL: the demo names its own database in code).
    private func settings(_ arguments: String..., environment: [String: String]) throws -> DemoCommand.Finished {
        try DemoCommand.run(["hookflow", "settings"] + arguments, environment: environment, in: folder)
    }

    func testSettingsNameEveryVariableAndNeverPrintASecret() throws {
        let secrets = ["some-long-secret-token-value", "qstash-secret-token-value"]
        let shown = try settings(environment: ["HOOKFLOW_API_TOKEN": secrets[0], "QSTASH_TOKEN": secrets[1], "HOOKFLOW_LEASE_SECONDS": "45"])
        XCTAssertEqual(shown.status, 0, "QStash is not in use: its missing settings are no error\n" + shown.output + shown.errors)
        for secret in secrets {
            XCTAssertFalse(shown.output.contains(secret) || shown.errors.contains(secret), "a secret printed:\n\(shown.output)")
        }
        let lines = shown.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        for line in [
            "HOOKFLOW_API_TOKEN <redacted> environment", "QSTASH_TOKEN <redacted> environment", "HOOKFLOW_LEASE_SECONDS 45 environment",
            "HOOKFLOW_TRANSPORT local default", "HOOKFLOW_DATABASE_URL sqlite://hookflow-demo.sqlite code",
            "QSTASH_CURRENT_SIGNING_KEY - unset", "local: ready (in use)", "qstash: not ready (not in use)",
            "missing: QSTASH_CURRENT_SIGNING_KEY, QSTASH_NEXT_SIGNING_KEY, HOOKFLOW_DOMAIN", "github: not configured",
        ] {
            XCTAssertTrue(lines.contains(line), "'\(line)' missing from\n\(shown.output)")
        }
        let demoDatabase = folder.appendingPathComponent("hookflow-demo.sqlite").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: demoDatabase), "hookflow settings opened the database")
    }

    func testSettingsAsJSONParseWithTheSecretRedacted() throws {
        let secret = "some-long-secret-token-value"
        let json = try settings("--json", environment: ["HOOKFLOW_API_TOKEN": secret, "QSTASH_TOKEN": "qstash-secret-token-value"])
        XCTAssertEqual(json.status, 0, json.errors)
        XCTAssertFalse(json.output.contains(secret), json.output)
        let report = try JSONDecoder().decode(JSON.self, from: Data(json.output.utf8))
        XCTAssertEqual(report["valid"], true)
        XCTAssertEqual(report["transport"], "local")
        XCTAssertEqual(report["problems"].arrayValue?.count, 0)
        let token = try XCTUnwrap(report["settings"].arrayValue?.first { $0["variable"] == "HOOKFLOW_API_TOKEN" })
        XCTAssertEqual(token, ["variable": "HOOKFLOW_API_TOKEN", "value": "<redacted>", "source": "environment", "secret": true])
        let retention = try XCTUnwrap(report["settings"].arrayValue?.first { $0["variable"] == "HOOKFLOW_RETENTION_DAYS" })
        XCTAssertTrue(retention["value"].isNull, "an unset value is null, not left out")
        let qstash = try XCTUnwrap(report["transports"].arrayValue?.first { $0["name"] == "qstash" })
        XCTAssertEqual(qstash["ready"], false)
        XCTAssertEqual(qstash["active"], false)
        XCTAssertEqual(qstash["missing"], ["QSTASH_CURRENT_SIGNING_KEY", "QSTASH_NEXT_SIGNING_KEY", "HOOKFLOW_DOMAIN"])
        XCTAssertEqual(report["integrations"].arrayValue?.map { $0["name"] }, ["github"])
    }

    func testWrongSettingsInUseAreAllListedAndExitWithStatus1() throws {
        // The app does not start with these; the command still runs, and lists every one.
        let environment = [
            "HOOKFLOW_TRANSPORT": "qstash", "QSTASH_TOKEN": "qstash-secret-token-value", "HOOKFLOW_WORKERS": "many",
            "HOOKFLOW_API_TOKEN": "some-long-secret-token-value",
        ]
        let shown = try settings(environment: environment)
        XCTAssertEqual(shown.status, 1, shown.output + shown.errors)
        for line in [
            "HOOKFLOW_WORKERS: must be a whole number of at least 1, got 'many'",
            "QSTASH_CURRENT_SIGNING_KEY: is required with HOOKFLOW_TRANSPORT=qstash", "HOOKFLOW_DOMAIN: is required with HOOKFLOW_TRANSPORT=qstash",
            "qstash: not ready (in use)",
        ] {
            XCTAssertTrue(shown.output.contains(line), "'\(line)' missing from\n\(shown.output)")
        }
        XCTAssertTrue(shown.errors.contains("QSTASH_NEXT_SIGNING_KEY"), shown.errors)
        XCTAssertFalse((shown.output + shown.errors).contains("secret-token-value"), shown.output + shown.errors)

        let json = try settings("--json", environment: environment)
        XCTAssertEqual(json.status, 1)
        let report = try JSONDecoder().decode(JSON.self, from: Data(json.output.utf8))
        XCTAssertEqual(report["valid"], false)
        XCTAssertEqual(report["transport"], "qstash")
        XCTAssertEqual(report["problems"][0], ["setting": "HOOKFLOW_WORKERS", "message": "must be a whole number of at least 1, got 'many'"])
    }

    func testAWrongGitHubSettingIsNamedAndItsTokenIsNot() throws {
        let shown = try settings(environment: ["GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_secretsecretsecret", "GITHUB_DEFAULT_REPO": "shop"])
        XCTAssertEqual(shown.status, 1, shown.output + shown.errors)
        XCTAssertTrue(shown.output.contains("GITHUB_DEFAULT_REPO: 'shop' is not owner/name"), shown.output)
        XCTAssertFalse((shown.output + shown.errors).contains("ghp_secretsecretsecret"), shown.output)
        let fine = try settings(environment: ["GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_secretsecretsecret"])
        XCTAssertEqual(fine.status, 0, fine.output + fine.errors)
        XCTAssertTrue(fine.output.contains("github: ready (in use)"), fine.output)
    }
}
