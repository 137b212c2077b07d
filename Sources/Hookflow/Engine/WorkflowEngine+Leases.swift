import Foundation

extension WorkflowEngine {
    /// Extends the leases of the runs this engine is executing, every third of the lease
    /// duration, so that a long step keeps its run. Runs until the task is cancelled;
    /// a transport runs it beside its workers.
    ///
    /// Each extension must finish within that third (a slow one is abandoned and does not
    /// delay another). The leases are looked at four times as often: one that was lost, or
    /// that would lapse before the next look with no extension confirming it, cancels its
    /// invocation's body, whose result is then never checkpointed.
    public func maintainLeases() async {
        let interval = configuration.leaseDuration / 3
        let look = interval / 4
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                do { try await Task.sleep(for: look) } catch { return }
                let now = now()
                let deadline = HookflowTime.date(now, plus: look * 2)
                for (runID, owner) in leases.due(now: now, every: interval.seconds, losingBefore: deadline) {
                    group.addTask { await self.extend(runID, owner: owner, within: interval) }
                }
            }
        }
    }

    private func extend(_ runID: WorkflowRunID, owner: String, within limit: Duration) async {
        defer { leases.finishedExtending(owner: owner) }
        let until = leaseEnd(from: now())
        let extended: Bool? = await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                do {
                    try await self.commit(runID: runID, owner: owner, step: nil, transition: .keepRunning(leaseUntil: until))
                    return true
                } catch is LeaseLostError {
                    return false
                } catch {
                    return nil
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch extended {
        case true?: leases.confirm(owner: owner, until: until)
        case false?:
            logger.warning("lease lost; cancelling the invocation", metadata: ["hookflow.run_id": "\(runID)"])
            leases.markLost(owner: owner)
        case nil: break  // Not confirmed this time: tried again, until the lease would lapse.
        }
    }
}
