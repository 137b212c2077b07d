/// How many runs wait, by kind of wait: what the `hookflow_runnable_runs` and
/// `hookflow_sleeping_runs` gauges show.
public struct RunCounts: Sendable, Hashable {
    /// Pending, or asleep past their wake time: waiting for a worker.
    public var runnable: Int
    /// Asleep until a time still to come (a durable sleep, a wait, a retry back-off).
    public var sleeping: Int

    public init(runnable: Int, sleeping: Int) {
        self.runnable = runnable
        self.sleeping = sleeping
    }
}
