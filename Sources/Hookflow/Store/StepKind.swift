/// The durable operation a step performs. Part of the determinism check:
/// a replayed step must ask for the kind it was recorded with.
public enum StepKind: String, Sendable, Codable, CaseIterable {
    /// `ctx.step.run`: a closure whose result is checkpointed.
    case run
    /// `ctx.step.sleep`: a durable timer.
    case sleep
    /// `ctx.step.call`: a durable HTTP request.
    case call
    /// `ctx.step.waitForEvent`: a durable wait for an event notified to the engine.
    case wait
    /// `ctx.step.invoke` or `ctx.step.start`: a child run, started once.
    case child
    /// `ctx.step.version`: the version of a change the run takes.
    case version
}

/// Where a step stands.
public enum StepStatus: String, Sendable, Codable, CaseIterable {
    /// Checkpointed: replay returns its result.
    case completed
    /// A sleep whose wake time has not come yet.
    case sleeping
    /// A wait for an event that has not arrived and whose timeout has not passed.
    case waiting
    /// Failed at least once; the next attempt waits for its back-off.
    case retrying
    /// Failed for good; the run failed with it.
    case failed
    /// A durable wait of a race branch that lost (``StepManager/race(_:_:or:)``): never resumed.
    case abandoned
}
