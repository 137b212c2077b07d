import Vapor

/// Refuses a request body that is not JSON with 415, so the demo's routes decode JSON only
/// (a form body such as `%` never reaches a decoder).
struct RequireJSON: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let type = request.headers.contentType, type.type == "application", type.subType == "json" else {
            throw Abort(.unsupportedMediaType, reason: "send the body as JSON (Content-Type: application/json)")
        }
        return try await next.respond(to: request)
    }
}
