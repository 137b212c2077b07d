import Crypto
import Foundation
import Vapor

/// Lets a request through only with `Authorization: Bearer <token>`, compared in constant time:
/// the guard of Hookflow's API for an app without its own authentication (`HOOKFLOW_API_TOKEN`).
struct BearerTokenGuard: AsyncMiddleware {
    let token: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let given = request.headers.bearerAuthorization?.token, Self.same(given, token) else {
            let answer = APIError(.unauthorized, "unauthorized", "send Authorization: Bearer <HOOKFLOW_API_TOKEN>")
            let response = answer.response
            response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            return response
        }
        return try await next.respond(to: request)
    }

    /// Whether `a` equals `b`, in time that does not depend on where they differ: both are hashed
    /// first, so their lengths leak nothing either.
    static func same(_ a: String, _ b: String) -> Bool {
        let left = SHA256.hash(data: Data(a.utf8))
        let right = SHA256.hash(data: Data(b.utf8))
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
