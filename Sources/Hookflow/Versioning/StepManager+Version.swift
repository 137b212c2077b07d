extension StepManager {
    /// The version of the code path named `changeID` this run takes, recorded as a step: runs
    /// started before the change keep taking the old path, new runs take the newest.
    ///
    /// - A run that reaches this call for the first time takes `max`.
    /// - A run started before the call existed (replaying steps recorded by older code when it
    ///   reaches it) takes version 1, the path the code had before.
    /// - Every later replay takes the recorded version.
    ///
    /// A recorded version outside `min...max` (the code no longer supports the path the run is
    /// on) fails the run with ``WorkflowVersionError``, naming the change and both versions.
    ///
    /// ```swift
    /// if try await ctx.step.version("charge-via-stripe", min: 1, max: 2) == 2 {
    ///     try await ctx.step.run("charge") { try await stripe.charge(order) }
    /// } else {
    ///     try await ctx.step.call("charge", url: legacyPayments, method: .POST, body: order)
    /// }
    /// ```
    public func version(_ changeID: String, min: Int, max: Int) async throws -> Int {
        let id = "hookflow.version:\(changeID)"
        guard min >= 1, min <= max else {
            throw await end(
                step: nil,
                transition: .fail(
                    stepID: id, error: "ctx.step.version(\"\(changeID)\", min: \(min), max: \(max)): min must be 1 or more and at most max"),
                outcome: .failed)
        }
        let record = try await begin(id, kind: .version)
        let version: Int
        if let record, record.status == .completed {
            version = try await decode(Int.self, record)
        } else {
            // Steps of this run not reached yet: it is replaying what older code recorded.
            version = replayingOlderSteps ? 1 : max
        }
        guard (min...max).contains(version) else {
            let error = WorkflowVersionError(runID: runID, changeID: changeID, recorded: version, supported: min...max)
            throw await end(step: nil, transition: .fail(stepID: id, error: error.description), outcome: .failed)
        }
        if record?.status != .completed {
            let now = engine.now()
            try await checkpoint(StepRecord(
                stepID: id, kind: .version, status: .completed, result: "\(version)", attempts: 1,
                sequence: record?.sequence ?? allocateSequence(), startedAt: now, executedAt: now))
        }
        return version
    }

    /// Whether the change `changeID` applies to this run: ``version(_:min:max:)`` with versions
    /// 1 (before) and 2 (after). New runs take it; runs started before it keep the old path.
    ///
    /// ```swift
    /// if try await ctx.step.patched("send-sms") { try await ctx.step.run("sms") { … } }
    /// ```
    public func patched(_ changeID: String) async throws -> Bool {
        try await version(changeID, min: 1, max: 2) == 2
    }

    /// Whether some recorded step has not been reached yet in this invocation.
    var replayingOlderSteps: Bool {
        state.withLock { state in state.history.values.contains { state.seen[$0.stepID] == nil && $0.status != .abandoned } }
    }
}

/// A run is on a path of the code that the code no longer supports: the version it recorded
/// for a change is outside the versions the code accepts.
public struct WorkflowVersionError: Error, CustomStringConvertible, Sendable {
    public let runID: WorkflowRunID
    /// The change, as named in `ctx.step.version`.
    public let changeID: String
    /// The version the run recorded.
    public let recorded: Int
    /// The versions the code supports.
    public let supported: ClosedRange<Int>

    public var description: String {
        "run \(StoredText.shown(runID.rawValue)) took version \(recorded) of change '\(changeID)', "
            + "but this code supports versions \(supported.lowerBound) to \(supported.upperBound): "
            + "keep the old path until no run needs it"
    }
}
