import Foundation
import Hookflow
import HookflowQStash
import Vapor

/// An error of Hookflow's JSON API: `{"error": {"code": "…", "message": "…"}}`, with a code
/// that stays the same across releases and a message that names the bad value.
struct APIError: Error {
    let status: HTTPResponseStatus
    let code: String
    let message: String

    /// The API's answer to `error`, thrown by a handler.
    init(_ error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let error as InvalidParameterError: self.init(.badRequest, "invalid_parameter", error.description)
        case let error as InvalidIdentifierError: self.init(.badRequest, "invalid_parameter", error.description)
        case let error as WorkflowRunNotFoundError: self.init(.notFound, "run_not_found", error.description)
        case let error as DeadLetterNotFoundError: self.init(.notFound, "dead_letter_not_found", error.description)
        case let error as StepNotFoundError: self.init(.notFound, "step_not_found", error.description)
        case let error as ScheduleNotFoundError: self.init(.notFound, "schedule_not_found", error.description)
        case let error as CronExpressionError: self.init(.badRequest, "invalid_parameter", error.description)
        case let error as UnknownWorkflowError: self.init(.notFound, "unknown_workflow", error.summary)
        case let error as WorkflowRunStateError: self.init(.conflict, "invalid_state", error.description)
        case let error as WorkflowRunConflictError: self.init(.conflict, "run_id_conflict", error.description)
        case let error as WorkflowInputError: self.init(.unprocessableEntity, "invalid_input", error.description)
        case is DecodingError: self.init(.badRequest, "invalid_body", "the body is not the JSON this route takes")
        case let error as any AbortError where error.status.code < 500:
            self.init(error.status, "bad_request", error.reason)
        default: self.init(.internalServerError, "internal", "the request could not be completed; see the server's log")
        }
    }

    init(_ status: HTTPResponseStatus, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The answer to `error`, thrown by a handler of `request`; a 5xx is logged with what `part`
    /// of Hookflow it came from (the request's log carries its id).
    static func answer(to error: any Error, of request: Request, in part: String) -> APIError {
        let answer = APIError(error)
        if answer.status.code >= 500 {
            request.logger.error(
                "hookflow \(part) \(request.method) \(request.url.path) failed: \(StoredText.shown("\(error)", limit: 300))")
        }
        return answer
    }

    /// A bad query parameter: `parameter` with the `value` given and why it cannot be used.
    static func parameter(_ parameter: String, _ value: String, _ reason: String) -> APIError {
        APIError(.badRequest, "invalid_parameter", "\(parameter) \(StoredText.shown(value)) \(reason)")
    }

    var response: Response {
        let body = ["error": ["code": code, "message": message]]
        let response = Response(status: status)
        response.headers.contentType = .json
        response.body = .init(string: (try? APIJSON.text(body)) ?? #"{"error":{"code":"internal","message":""}}"#)
        return response
    }
}

/// Answers every error of the API's routes as an ``APIError``; a 5xx is logged with the run's context.
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let answer = APIError.answer(to: error, of: request, in: "API")
            return answer.response
        }
    }
}

/// The API's JSON: sorted keys, slashes as they are.
enum APIJSON {
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func response(_ value: some Encodable, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = Response(status: status)
        response.headers.contentType = .json
        response.body = .init(string: try text(value))
        return response
    }
}
