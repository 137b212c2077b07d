import Foundation

/// A branch of a race (``StepManager/race(_:_:or:)``): the steps reached in it are tagged with
/// it, so that those of the branch that loses are abandoned.
struct RaceBranch: Hashable, Sendable {
    var race: String
    var index: Int

    /// The races the current task runs in, outermost first.
    @TaskLocal static var path: [RaceBranch] = []
}

/// Unwinds a branch that lost its race: it writes nothing more.
struct BranchAbandoned: Error {}

/// Which branch of a race settled first.
public enum RaceWinner<First: Sendable, Second: Sendable>: Sendable {
    case first(First)
    case second(Second)
}

extension StepManager {
    /// Runs two branches of durable operations at once; the first to finish (or fail) wins, and
    /// the other is abandoned: its task is cancelled and its sleeps and waits are recorded as
    /// ``StepStatus/abandoned``, never to wake the run. The winner is checkpointed as the step
    /// `id`, so a replay runs only the winning branch.
    ///
    /// While neither has finished, the run sleeps until the earlier of their wake times, or until
    /// an event either waits for.
    ///
    /// ```swift
    /// switch try await ctx.step.race("approval-or-reminder", {
    ///     try await ctx.step.waitForEvent("approval", key: "approved:\(id)", as: Approval.self, timeout: .seconds(7 * 86_400))
    /// }, or: {
    ///     try await ctx.step.sleep("two-days", for: .seconds(2 * 86_400))
    /// }) {
    /// case .first(let approval): …
    /// case .second: try await ctx.step.run("remind") { … }
    /// }
    /// ```
    public func race<A: Sendable, B: Sendable>(
        _ id: String, _ first: @escaping @Sendable () async throws -> A, or second: @escaping @Sendable () async throws -> B
    ) async throws -> RaceWinner<A, B> {
        let record = try await begin(id, kind: .run)
        let path = RaceBranch.path
        let branches = [RaceBranch(race: id, index: 0), RaceBranch(race: id, index: 1)]
        @Sendable func run(_ index: Int) async throws -> RaceWinner<A, B> {
            try await RaceBranch.$path.withValue(path + [branches[index]]) {
                index == 0 ? .first(try await first()) : .second(try await second())
            }
        }
        if let record, record.status == .completed {
            // Decided: only the winner runs again, replaying its steps.
            return try await run(try await decode(RaceRecord.self, record).winner)
        }
        let sequence = record?.sequence ?? allocateSequence()
        let started = engine.now()
        let settled = await withTaskGroup(
            of: (Int, Result<RaceWinner<A, B>, any Error>).self, returning: (Int, Result<RaceWinner<A, B>, any Error>)?.self
        ) { group in
            for index in 0..<2 {
                group.addTask {
                    do { return (index, .success(try await run(index))) } catch { return (index, .failure(error)) }
                }
            }
            while let (index, outcome) = await group.next() {
                if case .failure(let error) = outcome, error is WorkflowSuspension || error is BranchAbandoned { continue }
                // The first to settle wins; the other is abandoned before its task is cancelled.
                lose(branches[1 - index])
                group.cancelAll()
                return (index, outcome)
            }
            return nil
        }
        guard let (winner, outcome) = settled else { throw WorkflowSuspension() }
        try await abandonSteps(of: branches[1 - winner])
        try await checkpoint(StepRecord(
            stepID: id, kind: .run, status: .completed, result: try JSONCoding.encode(RaceRecord(winner: winner)), attempts: 1,
            sequence: sequence, startedAt: record?.startedAt ?? started, executedAt: engine.now()))
        logger.info("race decided", metadata: ["hookflow.step": "\(id)", "hookflow.winner": "\(winner == 0 ? "first" : "second")"])
        return try outcome.get()
    }

    /// Whether the current task runs in a race branch that lost.
    var inAbandonedBranch: Bool {
        let path = RaceBranch.path
        guard !path.isEmpty else { return false }
        return state.withLock { state in path.contains { state.lostBranches.contains($0) } }
    }

    /// `branch` lost: its steps write nothing more, and the durable waits it reached no longer
    /// suspend the run.
    private func lose(_ branch: RaceBranch) {
        state.withLock { state in
            state.lostBranches.insert(branch)
            guard var suspension = state.suspension else { return }
            let kept = suspension.entries.filter { !$0.path.contains(branch) }
            if kept.isEmpty {
                state.suspension = nil
                if case .suspended = state.ended { state.ended = nil }
            } else {
                suspension.entries = kept
                state.suspension = suspension
                state.ended = .suspended(until: suspension.wake)
            }
        }
    }

    /// Records the durable waits the losing branch reached in an earlier invocation as abandoned,
    /// so that neither an event nor a timer of theirs wakes the run again (the ones it reached in
    /// this one were never written).
    private func abandonSteps(of branch: RaceBranch) async throws {
        let waits = state.withLock { state in
            (state.raceSteps[branch] ?? []).compactMap { state.history[$0] }.filter { [.waiting, .sleeping, .retrying].contains($0.status) }
        }
        for wait in waits {
            var abandoned = wait
            abandoned.status = .abandoned
            abandoned.executedAt = engine.now()
            try await checkpoint(abandoned)
        }
    }
}

/// The checkpoint of a race: which branch won.
struct RaceRecord: Codable {
    var winner: Int
}
