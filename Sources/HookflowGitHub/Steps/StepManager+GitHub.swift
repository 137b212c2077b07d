import Foundation
import Hookflow

extension StepManager {
    /// Dispatches a GitHub Actions workflow once and checkpoints the run it started;
    /// a replay returns the checkpointed run and never dispatches again.
    ///
    /// A dispatch is not idempotent, so this step records its intent (a correlation id and
    /// the time) before it sends anything. When a crash falls between GitHub accepting the
    /// dispatch and the checkpoint, the next invocation first looks for the run that dispatch
    /// started, and dispatches only if it finds none: exact when `correlationInput` names an
    /// input the workflow shows in its `run-name`, by time otherwise (a run started meanwhile
    /// by someone else on the same workflow and ref could be taken for it).
    ///
    /// GitHub's 4xx answers (unknown workflow, undeclared inputs, missing permission) fail
    /// the run at once; others are retried by the step's retry policy.
    ///
    /// ```swift
    /// let deploy = try await ctx.step.dispatchGitHubWorkflow(
    ///     "deploy", using: github, workflow: "deploy.yml", inputs: ["version": release.tag])
    /// let outcome = try await ctx.step.waitForGitHubRun("deploy-finished", deploy, using: github, timeout: .seconds(3600))
    /// ```
    public func dispatchGitHubWorkflow(
        _ id: String, using github: GitHubClient, workflow: String, repo: String? = nil, ref: String = "main",
        inputs: [String: String] = [:], correlationInput: String? = nil, retry: RetryPolicy? = nil
    ) async throws -> GitHubDispatchedRun {
        let repository = try github.repository(repo)
        let recordedAt = now
        var recordedNow = false
        let intent = try await run("\(id).intent") {
            recordedNow = true
            return DispatchIntent(correlationID: UUID().uuidString.lowercased(), recordedAt: recordedAt)
        }
        let resumed = !recordedNow
        let correlation = correlationInput.map { ($0, intent.correlationID) }
        return try await run(id, retry: retry) {
            try await Self.nonRetryableOnClientError(alsoFinal: true) {
                // An intent from an earlier invocation: that attempt may have dispatched before it stopped.
                // A correlation id matches exactly, so its window can be wide (clock skew, a slow run list).
                if resumed,
                    let earlier = try await github.findDispatchedRun(
                        workflow, in: repository, ref: ref,
                        since: intent.recordedAt.addingTimeInterval(correlation == nil ? -5 : -600),
                        correlationID: correlation?.1, timeout: Self.recoveryLookTimeout)
                {
                    return earlier
                }
                return try await github.dispatch(
                    workflow, in: repository, ref: ref, inputs: inputs, correlation: correlation)
            }
        }
    }

    /// Suspends the run until the GitHub Actions run `runID` completes, and returns its final state.
    ///
    /// The run is woken by a `workflow_run` webhook (``GitHubWebhook``, mounted by the Vapor
    /// integration) or by durable polling: each look at the run is a checkpointed step, and
    /// the pauses between them grow (``GitHubClient/Configuration/pollInterval``); no task
    /// is held meanwhile; a look after the first is a conditional request (`If-None-Match`),
    /// which GitHub does not count against the rate limit while the run is unchanged.
    /// However many looks a wait takes, it keeps three step rows (`id.deadline`, the last look
    /// `id.poll`, its wait `id.wait`): each look replaces the one before.
    /// With webhooks the polls are a slow safety net, since GitHub does not
    /// redeliver a webhook that failed. Throws ``GitHubRunWaitTimeoutError`` when `timeout`
    /// passes first.
    public func waitForGitHubRun(
        _ id: String, runID: Int64, repo: String? = nil, using github: GitHubClient, timeout: Duration
    ) async throws -> GitHubRunSnapshot {
        let repository = try github.repository(repo)
        let deadline = HookflowTime.date(now, plus: timeout)
        let recordedDeadline = try await run("\(id).deadline") { deadline }
        func look(_ number: Int, after previous: GitHubRunSnapshot?) async throws -> GitHubRunLook {
            let observedAt = now
            return try await run("\(id).poll", isCurrent: { $0.number >= number }) {
                try await Self.nonRetryableOnClientError {
                    // Conditional after the first look: an unchanged run costs no rate limit.
                    let (run, etag) = try await github.run(runID, in: repository, ifNoneMatch: previous?.etag)
                    guard let run else {
                        guard var unchanged = previous else {
                            throw GitHubError.invalidResponse(request: "GET run \(runID)", reason: "304 to an unconditional request")
                        }
                        unchanged.observedAt = observedAt
                        return GitHubRunLook(number: number, snapshot: unchanged)
                    }
                    return GitHubRunLook(number: number, snapshot: GitHubRunSnapshot(run, in: repository, observedAt: observedAt, etag: etag))
                }
            }
        }
        // A replay resumes at the last look recorded.
        var current = try await look(0, after: nil)
        while true {
            let snapshot = current.snapshot
            if snapshot.isCompleted { return snapshot }
            let remaining = recordedDeadline.timeIntervalSince(snapshot.observedAt)
            guard remaining > 0 else {
                throw GitHubRunWaitTimeoutError(repository: repository, runID: runID, timeout: timeout, last: snapshot)
            }
            let pause = Self.pause(afterLook: current.number, github.configuration)
            let key = GitHubRunSnapshot.eventKey(repository: repository, runID: runID, attempt: snapshot.runAttempt)
            if let event = try await waitForEvent(
                "\(id).wait", key: key, as: GitHubRunSnapshot.self, timeout: min(pause, .seconds(remaining)),
                startedAfter: snapshot.observedAt),
                event.isCompleted
            {
                return event
            }
            current = try await look(current.number + 1, after: snapshot)
        }
    }

    /// ``waitForGitHubRun(_:runID:repo:using:timeout:)`` for a run a dispatch step started.
    public func waitForGitHubRun(
        _ id: String, _ run: GitHubDispatchedRun, using github: GitHubClient, timeout: Duration
    ) async throws -> GitHubRunSnapshot {
        try await waitForGitHubRun(id, runID: run.runID, repo: run.repository.description, using: github, timeout: timeout)
    }

    /// The pause after look `number` of a wait: the poll interval, doubled after each look up to the longest.
    static func pause(afterLook number: Int, _ configuration: GitHubClient.Configuration) -> Duration {
        var pause = configuration.pollInterval
        for _ in 0..<min(number, 64) where pause < configuration.maxPollInterval {
            pause = min(pause * 2, configuration.maxPollInterval)
        }
        return pause
    }

    /// How long a recovering dispatch step looks for the run an earlier attempt may have started.
    static let recoveryLookTimeout: Duration = .seconds(10)

    /// GitHub's 4xx answers (other than rate limits) do not change on a retry: they fail the run.
    /// With `alsoFinal`, so do the failures that follow an accepted dispatch (no run found, a 200
    /// without run details): retrying them would dispatch again.
    static func nonRetryableOnClientError<T>(alsoFinal: Bool = false, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as GitHubError {
            switch error {
            case .dispatchedRunNotFound, .invalidResponse:
                if alsoFinal { throw NonRetryableError(error.description) }
                throw error
            case .rateLimited, .transport, .unexpectedStatus:
                throw error
            default:
                throw NonRetryableError(error.description)
            }
        }
    }
}

/// One look at a GitHub Actions run: which look of the wait it was, and what it saw.
struct GitHubRunLook: Codable, Sendable {
    var number: Int
    var snapshot: GitHubRunSnapshot
}

/// What a dispatch step records before it dispatches.
struct DispatchIntent: Codable, Sendable {
    var correlationID: String
    var recordedAt: Date
}

/// A GitHub Actions run that had not completed when a durable wait's timeout passed.
public struct GitHubRunWaitTimeoutError: Error, Sendable, CustomStringConvertible {
    public let repository: GitHubRepository
    public let runID: Int64
    public let timeout: Duration
    /// The run's state at the last look.
    public let last: GitHubRunSnapshot

    public var description: String {
        "GitHub Actions run \(runID) in \(repository) did not complete within \(timeout) "
            + "(last seen \(last.status?.rawValue ?? "without a status"))"
    }
}
