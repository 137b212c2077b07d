import Foundation
import Logging

/// The embedded transport: the run table is the queue, and in-process workers claim
/// runs from it with a lease.
///
/// A trigger wakes an idle worker at once; a timer wakes workers when the earliest
/// sleeping run is due or a lease expires; an idle transport waits without polling
/// (but for a slow safety check). ``run(engine:)`` returns once the engine shuts down
/// (``WorkflowEngine/beginShutdown()``) and every worker has finished its current step
/// and handed its run back.
public final class LocalTransport: WorkflowTransport {
    /// How many runs execute at once in this process.
    public let workers: Int
    /// The longest the timer waits before it looks at the store again, in case another
    /// process scheduled a wake time this one was not told about. With a store shared by
    /// several instances (``WakeAnnouncingStore``) it looks at least once per lease
    /// duration, which bounds how long a dead instance's runs wait to be taken over.
    public let safetyInterval: Duration
    let signal = WakeSignal()

    public init(workers: Int = 4, safetyInterval: Duration = .seconds(30)) {
        precondition(workers >= 1, "LocalTransport needs at least one worker, got \(workers)")
        self.workers = workers
        self.safetyInterval = safetyInterval
    }

    public func schedule(_ runID: WorkflowRunID, workflowID: String, at date: Date?, key: String) async throws {
        if let date, date > Date() {
            signal.schedule(date)
        } else {
            signal.notifyWork()
        }
    }

    /// Runs the workers and the timer until the engine shuts down and its workers have handed
    /// their runs back. ``HookflowService`` runs it.
    public func run(engine: WorkflowEngine) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [signal] in
                await engine.waitUntilShuttingDown()
                signal.shutDown()
            }
            if let shared = engine.store as? any WakeAnnouncingStore {
                group.addTask { [signal] in
                    for await announced in shared.wakeAnnouncements() {
                        if let date = announced, date > Date() { signal.schedule(date) } else { signal.notifyWork() }
                    }
                }
            }
            await withTaskGroup(of: Void.self) { workers in
                for index in 0..<self.workers {
                    workers.addTask { await self.work(engine: engine, index: index) }
                }
                workers.addTask { await self.runTimer(engine: engine) }
            }
            // The workers and the timer return after the shutdown; then the listener stops.
            group.cancelAll()
        }
    }

    /// How a worker that could not claim waits before it tries again.
    static let claimBackoff = Backoff(first: .milliseconds(200), limit: .seconds(30), jitter: 0.2)

    private func work(engine: WorkflowEngine, index: Int) async {
        var logger = engine.logger
        logger[metadataKey: "hookflow.worker"] = "\(index)"
        let signal = self.signal
        var failures = 0
        // A cancelled worker (its service was cancelled) takes no further run.
        while !signal.isShutDown, !Task.isCancelled {
            let generation = signal.generation
            do {
                if try await engine.executeNext() != nil {
                    failures = 0
                    continue
                }
                failures = 0
            } catch {
                failures += 1
                let delay = Self.claimBackoff.delay(afterFailures: failures)
                logger.error("could not claim a run; retrying in \(delay): \(error)")
                try? await Task.sleep(for: delay)
                continue
            }
            await signal.waitForWork(since: generation)
        }
    }

    private func runTimer(engine: WorkflowEngine) async {
        let signal = self.signal
        let safetyInterval =
            engine.store is any WakeAnnouncingStore
            ? min(self.safetyInterval, engine.configuration.leaseDuration) : self.safetyInterval
        // Runs due by the last firing are drained by the workers it woke: look past it, or the timer would spin.
        var firedAt = Date.distantPast
        while !signal.isShutDown {
            var next = Date().addingTimeInterval(safetyInterval.seconds)
            do {
                if let stored = try await engine.store.nextWakeTime(after: firedAt) { next = min(next, stored) }
            } catch {
                engine.logger.error("could not read the next wake time: \(error)")
            }
            if let reported = signal.takeDeadline() { next = min(next, reported) }
            if next > Date() { await signal.sleepTimer(until: next) }
            if signal.isShutDown { return }
            if next <= Date() {
                firedAt = Date()
                signal.notifyAll()
            }
        }
    }
}
