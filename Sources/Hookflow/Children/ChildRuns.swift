import Foundation

/// How a child run tells its parent it ended: the store delivers an event under the child's
/// key, in the transaction that ends the child, which wakes the parent waiting for it.
public enum ChildRuns {
    /// How long a parent waiting for its child sleeps before it looks at the child again, should
    /// its wake-up have been lost: a day.
    static let recheckInterval: Duration = .seconds(86_400)

    /// The key of the event a child run delivers when it ends.
    public static func eventKey(of child: WorkflowRunID) -> String { "hookflow.child-ended:\(child)" }

    /// The event's payload: the child's final status, as JSON.
    public static func eventPayload(_ status: RunStatus) -> String { "\"\(status.rawValue)\"" }

    /// The deterministic id of the child a parent starts at a step: the same after a crash
    /// between the start and its checkpoint, so no second child is started.
    static func childRunID(parent: WorkflowRunID, stepID: String) -> WorkflowRunID {
        WorkflowRunID("\(parent):\(stepID)")
    }
}
