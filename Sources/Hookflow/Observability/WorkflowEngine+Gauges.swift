extension WorkflowEngine {
    /// Sets the `hookflow_runnable_runs` and `hookflow_sleeping_runs` gauges from one count of
    /// the store, every `interval`, until the task is cancelled. ``HookflowService`` runs it.
    public func sampleRunCounts(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                if let counts = try await store.runCounts(now: now()) {
                    metrics.set(.runnableRuns, counts.runnable)
                    metrics.set(.sleepingRuns, counts.sleeping)
                }
            } catch {
                logger.debug("could not count the runs for the gauges: \(error)")
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
