import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GitHubFake
import Hookflow
import Synchronization
import HookflowGitHub
import XCTest

final class GitHubClientTests: GitHubFakeTestCase {
    func testDispatchReturnsTheRunIDWithEitherAPIVersion() async throws {
        let old = try await client().dispatch("deploy.yml", inputs: ["environment": "staging"])
        XCTAssertEqual(old.source, .returned)
        XCTAssertEqual(old.repository, shop)
        let stored = try await fake.control("runs/\(old.runID)")
        XCTAssertEqual(stored["inputs"]["environment"], "staging")
        XCTAssertEqual(old.htmlURL, stored["html_url"].stringValue)

        let new = try await client(version: .v2026_03_10).dispatch("1001", repo: "acme/shop", ref: "release")
        XCTAssertEqual(new.source, .returned)
        XCTAssertNotEqual(new.runID, old.runID)

        let dispatches = try await requests(endingWith: "/dispatches")
        XCTAssertEqual(dispatches.count, 2)
        XCTAssertEqual(dispatches[0]["body"]["return_run_details"], true, "2022-11-28 must ask for the run id")
        XCTAssertEqual(dispatches[1]["body"]["return_run_details"], nil, "2026-03-10 has no return_run_details")
        XCTAssertEqual(dispatches[1]["headers"]["x-github-api-version"], "2026-03-10")
        for request in try await fake.requests() {
            XCTAssertEqual(request["headers"]["accept"], "application/vnd.github+json")
            XCTAssertNotNil(request["headers"]["user-agent"].stringValue)
            XCTAssertNotNil(request["headers"]["x-github-api-version"].stringValue)
        }
    }

    func testDispatchFindsItsRunWhenTheServerReturnsNoID() async throws {
        try await fake.control("config", ["supports_run_details": false])
        // Another run of the same workflow started just before: correlation must not take it.
        let other = try await client().dispatch("deploy.yml", inputs: ["distinct_id": "someone-else"])
        let correlated = try await client().dispatch("deploy.yml", correlationInput: "distinct_id")
        XCTAssertEqual(correlated.source, .correlated)
        XCTAssertNotEqual(correlated.runID, other.runID)
        let stored = try await fake.control("runs/\(correlated.runID)")
        XCTAssertEqual(stored["display_title"].stringValue, "Deploy [\(stored["inputs"]["distinct_id"].stringValue ?? "?")]")

        do {
            _ = try await client(version: .v2026_03_10).dispatch("deploy.yml")
            XCTFail("an old server accepted API version 2026-03-10")
        } catch let error as GitHubError {
            guard case .unsupportedAPIVersion = error else { return XCTFail("\(error)") }
            XCTAssertTrue(error.description.contains("3.21"), error.description)
        }
    }

    func testDispatchErrorsSayWhatToDo() async throws {
        let github = client()
        for workflow in ["missing.yml", "feature.yml"] {
            do {
                _ = try await github.dispatch(workflow)
                XCTFail("\(workflow) was dispatched")
            } catch let error as GitHubError {
                XCTAssertEqual(error.status, 404)
                XCTAssertTrue(error.description.contains("not on the default branch"), error.description)
            }
        }
        let cases: [(String, [String: String], String, String)] = [
            ("nodispatch.yml", [:], "main", "Workflow does not have 'workflow_dispatch' trigger"),
            ("deploy.yml", ["colour": "blue"], "main", #"Unexpected inputs provided: ["colour"]"#),
            ("deploy.yml", [:], "nope", "No ref found for: nope"),
        ]
        for (workflow, inputs, ref, message) in cases {
            do {
                _ = try await github.dispatch(workflow, ref: ref, inputs: inputs)
                XCTFail("\(workflow) on \(ref) was dispatched")
            } catch let error as GitHubError {
                guard case .validationFailed(_, let got) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(got, message)
            }
        }
        let sent = try await fake.requests().count
        let tooMany = Dictionary(uniqueKeysWithValues: (0..<26).map { ("input\($0)", "x") })
        let tooLong = ["environment": String(repeating: "x", count: 70_000)]
        for inputs in [tooMany, tooLong] {
            do {
                _ = try await github.dispatch("deploy.yml", inputs: inputs)
                XCTFail("inputs over GitHub's limits were sent")
            } catch let error as GitHubError {
                guard case .invalidInputs = error else { return XCTFail("\(error)") }
            }
        }
        let after = try await fake.requests().count
        XCTAssertEqual(after, sent, "inputs over the limits reached the server")
    }

    func testRunsCanBeListedReadCancelledAndRerun() async throws {
        let github = client()
        var dispatched: [GitHubDispatchedRun] = []
        for _ in 0..<3 { dispatched.append(try await github.dispatch("deploy.yml")) }
        let page = try await github.listRuns(
            in: shop, workflow: "deploy.yml",
            filter: .init(branch: "main", event: "workflow_dispatch", status: "queued", created: ">=2020-01-01T00:00:00Z", perPage: 2))
        XCTAssertEqual(page.totalCount, 3)
        XCTAssertEqual(page.runs.count, 2)
        XCTAssertEqual(page.nextPage, 2)
        let all = try await github.listRuns(in: shop)
        XCTAssertEqual(Set(all.runs.map(\.id)), Set(dispatched.map(\.runID)))

        let first = dispatched[0].runID
        let run = try await github.run(first, in: shop)
        XCTAssertEqual(run.status, .queued)
        XCTAssertEqual(run.runAttempt, 1)
        let jobs = try await github.jobs(of: first, in: shop)
        XCTAssertEqual(jobs.map(\.runID), [first])

        try await github.cancel(first, in: shop)
        let cancelled = try await github.run(first, in: shop)
        XCTAssertEqual(cancelled.conclusion, .cancelled)
        do {
            try await github.cancel(first, in: shop)
            XCTFail("a completed run was cancelled")
        } catch let error as GitHubError {
            XCTAssertEqual(error.status, 409)
        }
        try await github.forceCancel(dispatched[1].runID, in: shop)
        try await github.rerun(first, in: shop)
        let rerun = try await github.run(first, in: shop)
        XCTAssertEqual(rerun.runAttempt, 2)
        XCTAssertNil(rerun.conclusion)
        try await fake.control("runs/\(first)/advance", ["status": "completed", "conclusion": "failure"])
        try await github.rerunFailedJobs(first, in: shop, debugLogging: true)
        let allJobs = try await github.jobs(of: first, in: shop, filter: .all)
        XCTAssertEqual(allJobs.count, 3, "one job per attempt")

        let logs = try await github.logsURL(of: first, in: shop)
        XCTAssertTrue(logs.absoluteString.hasPrefix(fake.baseURL + "/_fake/logs/\(first)"), logs.absoluteString)
        let (_, response) = try await URLSession.shared.data(from: logs)
        XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 200)
        let fetches = try await fake.control("log-fetches").arrayValue ?? []
        XCTAssertEqual(fetches.map { $0["authorization_sent"] }, [false])
    }

    func testGitHubEnterpriseBaseURLWithAPIPrefix() async throws {
        let github = client { $0.apiURL = self.fake.baseURL + "/api/v3" }
        let run = try await github.dispatch("deploy.yml")
        let read = try await github.run(run.runID, in: shop)
        XCTAssertEqual(read.id, run.runID)
        let paths = try await fake.requests().compactMap { $0["path"].stringValue }
        XCTAssertTrue(paths.allSatisfy { $0.hasPrefix("/api/v3/") }, "\(paths)")
    }

    func testRateLimitsAreWaitedOutUpToTheCallersLimit() async throws {
        let github = client()
        let run = try await github.dispatch("deploy.yml")

        try await fake.control("rate-limit", ["mode": "retry_after", "status": 429, "retry_after": 1, "count": 1])
        var started = ContinuousClock.now
        _ = try await github.run(run.runID, in: shop)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(900), "retry-after was not honoured")

        try await fake.control("rate-limit", ["mode": "reset", "status": 403, "reset_in": 1, "count": 1])
        started = ContinuousClock.now
        _ = try await github.run(run.runID, in: shop)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(100), "x-ratelimit-reset was not honoured")

        try await fake.control("rate-limit", ["mode": "retry_after", "status": 429, "retry_after": 30, "count": 1])
        let impatient = client { $0.maxRateLimitWait = .seconds(2) }
        do {
            _ = try await impatient.run(run.runID, in: shop)
            XCTFail("a 30 s rate limit was waited out with a 2 s limit")
        } catch let error as GitHubError {
            guard case .rateLimited(_, let wait, let limit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(wait, 30)
            XCTAssertEqual(limit, 2)
            XCTAssertTrue(error.description.contains("maxRateLimitWait"), error.description)
        }
    }

    func testBadCredentialsFailWithoutTheToken() async throws {
        let github = client(credentials: .token("ghp_wrong_secret_value"))
        do {
            _ = try await github.dispatch("deploy.yml")
            XCTFail("a bad token dispatched")
        } catch let error as GitHubError {
            XCTAssertEqual(error.status, 401)
            XCTAssertFalse(error.description.contains("ghp_wrong_secret_value"), error.description)
            XCTAssertTrue(error.description.contains("GitHubSettings.credentials"), error.description)
        }
    }

    func testDispatchingAfterReturnPassesTheResultToTheInputs() async throws {
        let github = client()
        let deploy = github.dispatchingAfter(workflow: "deploy.yml", inputs: { ["version": $0] }) { (tag: String) in
            "v\(tag)"
        }
        let (version, run) = try await deploy("1.4.2")
        XCTAssertEqual(version, "v1.4.2")
        let stored = try await fake.control("runs/\(run.runID)")
        XCTAssertEqual(stored["inputs"]["version"], "v1.4.2")

        let called = Flag()
        let withoutRepository = client { $0.defaultRepository = nil }.dispatchingAfter(workflow: "deploy.yml") {
            (_: Int) in called.set()
        }
        do {
            _ = try await withoutRepository(1)
            XCTFail("dispatched without a repository")
        } catch let error as GitHubError {
            XCTAssertEqual(
                error.description,
                "GitHub repo must be specified either in the call or settings (GitHubSettings.defaultRepository).")
            XCTAssertFalse(called.isSet, "the function ran although its workflow could not be dispatched")
        }

        let failing = github.dispatchingAfter(workflow: "nodispatch.yml") { (order: Int) in order * 2 }
        do {
            _ = try await failing(21)
            XCTFail("nodispatch.yml was dispatched")
        } catch let error as GitHubDispatchAfterReturnError<Int> {
            XCTAssertEqual(error.result, 42, "the function's result was lost with the failed dispatch")
            XCTAssertEqual(error.underlying.status, 422)
        }
    }

    func testAppCredentialsFetchAndReuseAnInstallationToken() async throws {
        let key = try TestRSAKey.make()
        try await fake.control("auth", [
            "app": ["app_id": "Iv1.hookflow", "public_key_pem": .string(key.publicPEM), "installation_id": 42],
        ])
        let github = client(
            credentials: .app(GitHubAppCredentials(appID: "Iv1.hookflow", privateKeyPEM: key.privatePEM, installationID: 42)))
        let first = try await github.dispatch("deploy.yml")
        _ = try await github.run(first.runID, in: shop)
        _ = try await github.dispatch("deploy.yml")

        let claims = try await fake.control("jwt-claims").arrayValue ?? []
        XCTAssertEqual(claims.count, 1, "the installation token was not reused")
        let claim = try XCTUnwrap(claims.first)
        XCTAssertEqual(claim["iss"], "Iv1.hookflow")
        let iat = try XCTUnwrap(claim["iat"].doubleValue)
        let exp = try XCTUnwrap(claim["exp"].doubleValue)
        XCTAssertLessThanOrEqual(exp - iat, 600)
        XCTAssertLessThan(iat, Date().timeIntervalSince1970 - 30, "iat is not set back against clock drift")
        let tokenRequests = try await requests(endingWith: "/app/installations/42/access_tokens")
        XCTAssertEqual(tokenRequests.count, 1)
        XCTAssertEqual(tokenRequests.first?["headers"]["authorization"], "Bearer")
        let runRequests = try await requests(endingWith: "/runs/\(first.runID)")
        XCTAssertEqual(runRequests.first?["status"], 200)
    }
}

/// A switch set from a `@Sendable` closure.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
