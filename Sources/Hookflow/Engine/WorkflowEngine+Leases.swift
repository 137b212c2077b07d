import Foundation

extension WorkflowEngine {
    /// Extends the leases of the runs this engine is executing, every third of the lease
    /// duration, so that a long step keeps its run. Runs until the task is cancelled;
    /// a transport runs it beside its workers.
    ///
    /// Each extension must finish within that third (a slow one is abandoned and does not
    /// delay the next round). A lease that was lost, or that no extension could confirm in
    /// time, cancels its invocation's body, whose result is then never checkpointed.
    public func maintainLeases() async {
        let interval = configuration.leaseDuration / 3
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                // A lease that would lapse before the round after next cannot be saved in time.
                let deadline = HookflowTime.date(now(), plus: interval / 2)
                for (runID, owner) in leases.due(losingBefore: deadline) {
                    group.addTask { await self.extend(runID, owner: owner, within: interval) }
                }
            }
            group.cancelAll()
        }
    }

    private func extend(_ runID: WorkflowRunID, owner: String, within limit: Duration) async {
        defer { leases.finishedExtending(runID) }
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
        case true?: leases.confirm(runID, until: until)
        case false?:
            logger.warning("lease lost; cancelling the invocation", metadata: ["hookflow.run_id": "\(runID)"])
            leases.markLost(runID)
        case nil: break  // Not confirmed this round: the next one tries again, until the lease would lapse.
        }
    }
}
