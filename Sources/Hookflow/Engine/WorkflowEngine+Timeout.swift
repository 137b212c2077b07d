import Foundation

extension WorkflowEngine {
    /// Sleeps until `date` by the engine's clock; `false` when cancelled first.
    func sleep(until date: Date) async -> Bool {
        let left = date.timeIntervalSince(now())
        do {
            if left > 0 { try await Task.sleep(for: HookflowTime.duration(seconds: left)) }
        } catch {
            return false
        }
        return true
    }

    /// Why a run past its ``Workflow/executionTimeout`` failed.
    static func timedOut(_ workflow: RegisteredWorkflow) -> String {
        "timed out: the run took longer than its execution timeout of \(workflow.executionTimeout ?? .zero) "
            + "(\(workflow.id)'s executionTimeout)"
    }
}
