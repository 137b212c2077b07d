import Hookflow
import HookflowQStash
import Vapor

// A trigger's mistakes are the caller's: a route that triggers a run answers them with a
// 4xx and the error's own description, not a 500.

extension WorkflowRunConflictError: AbortError {
    public var status: HTTPResponseStatus { .conflict }
    public var reason: String { description }
}

extension InvalidIdentifierError: AbortError {
    public var status: HTTPResponseStatus { .badRequest }
    public var reason: String { description }
}

extension WorkflowInputError: AbortError {
    public var status: HTTPResponseStatus { .unprocessableEntity }
    public var reason: String { description }
}

extension StatelessPayloadTooLargeError: AbortError {
    public var status: HTTPResponseStatus { .payloadTooLarge }
    /// Names the variable that sets the limit.
    public var reason: String { "\(description); the limit is HOOKFLOW_MAX_PAYLOAD_SIZE" }
}

extension UnknownWorkflowError: AbortError {
    public var status: HTTPResponseStatus { .notFound }
    /// Names the Vapor call that registers a workflow.
    public var reason: String { "\(summary); register it with app.hookflow.register(...)" }
}

extension ScheduleNotFoundError: AbortError {
    public var status: HTTPResponseStatus { .notFound }
    public var reason: String { description }
}
