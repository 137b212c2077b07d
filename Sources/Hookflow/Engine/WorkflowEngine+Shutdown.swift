extension WorkflowEngine {
    /// Starts a graceful shutdown: no worker claims another run, and each invocation in flight
    /// hands its run back (checkpointed, for any instance to continue) before its next step.
    /// ``HookflowService`` calls it when its service group shuts down.
    public func beginShutdown() {
        shutdown.stop()
    }

    /// Ends the grace of a shutdown: the step bodies still running are cancelled and their runs
    /// released at once; nothing more of their invocations is written.
    public func abandonInFlightInvocations() {
        shutdown.abandon()
    }

    /// Whether ``beginShutdown()`` was called.
    public var isShuttingDown: Bool { shutdown.isReached(.stopping) }

    /// Returns once a shutdown has begun (or the task is cancelled).
    public func waitUntilShuttingDown() async {
        await shutdown.wait(for: .stopping)
    }

    /// Returns once a shutdown has begun and no invocation is in flight (or the task is cancelled).
    public func waitUntilIdle() async {
        await shutdown.wait(for: .idle)
    }
}
