import Foundation

/// Keeping the tables from growing forever.
extension WorkflowEngine {
    /// Deletes the runs that finished (completed, failed or cancelled) more than `age` ago, with
    /// their steps, and the dead letters older than `age`, as `scope` says; with `dryRun`, only
    /// counts them. It deletes up to `batchSize` runs per transaction, fewer while a batch takes
    /// longer than ``cleanupBatchTarget``, and rests as long as each batch took, so the store's
    /// write lock is never held long and checkpoints go on meanwhile.
    ///
    /// ```swift
    /// let report = try await engine.cleanUp(olderThan: .seconds(30 * 86_400))   // 30 days
    /// ```
    @discardableResult
    public func cleanUp(
        olderThan age: Duration, scope: CleanupScope = .everything, dryRun: Bool = false, batchSize: Int = 50
    ) async throws -> CleanupReport {
        guard age >= .zero else {
            throw InvalidParameterError(parameter: "age", value: "\(age)", reason: "must not be negative")
        }
        guard batchSize >= 1 else {
            throw InvalidParameterError(parameter: "batchSize", value: "\(batchSize)", reason: "must be at least 1")
        }
        let before = HookflowTime.date(now(), plus: .zero - age)
        if dryRun {
            let expired = try await store.countExpired(before: before)
            return CleanupReport(
                runs: scope == .deadLetters ? 0 : expired.runs, deadLetters: scope == .runs ? 0 : expired.deadLetters)
        }
        var report = CleanupReport(runs: 0, deadLetters: 0)
        if scope != .deadLetters {
            var limit = batchSize
            while true {
                let (deleted, took) = try await Self.timed {
                    try await store.deleteFinishedRuns(before: before, limit: limit, keepingDeadLetters: scope == .runs)
                }
                report.runs += deleted.runs
                report.deadLetters += deleted.deadLetters
                if deleted.runs < limit { break }
                limit = Self.nextBatch(after: limit, took: took, upTo: batchSize)
                try await Self.pause(after: took)
            }
        }
        if scope != .runs {
            var limit = batchSize
            while true {
                let (deleted, took) = try await Self.timed { try await store.deleteDeadLetters(before: before, limit: limit) }
                report.deadLetters += deleted
                if deleted < limit { break }
                limit = Self.nextBatch(after: limit, took: took, upTo: batchSize)
                try await Self.pause(after: took)
            }
        }
        if report != CleanupReport(runs: 0, deadLetters: 0) {
            logger.info("cleaned up", metadata: [
                "hookflow.deleted_runs": "\(report.runs)", "hookflow.deleted_dead_letters": "\(report.deadLetters)",
            ])
        }
        return report
    }

    /// How long one batch of a clean-up should hold the store's write lock at most.
    public static let cleanupBatchTarget: Duration = .milliseconds(10)

    /// The size of the next batch: halved after a batch slower than the target (a busy disk, a
    /// run with many steps), doubled back after one under half of it, up to `maximum`.
    static func nextBatch(after size: Int, took: Duration, upTo maximum: Int) -> Int {
        if took > cleanupBatchTarget { return max(1, size / 2) }
        if took < cleanupBatchTarget / 2 { return min(maximum, size * 2) }
        return size
    }

    /// What `body` returned, and how long it took.
    private static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
        let started = ContinuousClock.now
        let value = try await body()
        return (value, ContinuousClock.now - started)
    }

    /// Rests as long as the last batch took (1 to 50 ms), so that the writes waiting for the
    /// store (checkpoints) go first and a clean-up takes at most half of its time.
    private static func pause(after batch: Duration) async throws {
        try await Task.sleep(for: min(max(batch, .milliseconds(1)), .milliseconds(50)))
    }

    /// Cleans up runs and dead letters older than `age` every `interval`, until the task is
    /// cancelled. ``HookflowService`` runs it when given a retention.
    public func keepTables(for age: Duration, every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await cleanUp(olderThan: age)
            } catch {
                logger.warning("retention clean-up failed; trying again in \(interval): \(error)")
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
