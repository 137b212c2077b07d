/// Thrown through the workflow's body to unwind it once the invocation has ended
/// (suspended, failed or released). The engine reads the outcome from the step manager,
/// so a body that catches this error cannot keep the run going.
struct WorkflowSuspension: Error, CustomStringConvertible {
    var description: String { "the run was suspended; the workflow body must not catch this error" }
}
