/// A GitHub request that failed, or a call the client refused to send.
///
/// Descriptions name the request (method and path, never a token or query) and say what to do.
public enum GitHubError: Error, Sendable, CustomStringConvertible {
    /// 404: the repository, workflow or run does not exist, or the credentials cannot see it.
    case notFound(request: String, message: String)
    /// 422: GitHub rejected the request; `message` is GitHub's own.
    case validationFailed(request: String, message: String)
    /// 401: the credentials were rejected.
    case unauthorized(request: String, message: String)
    /// 403 without a rate limit: the credentials lack a permission.
    case forbidden(request: String, message: String)
    /// 409: the run is not in a state that allows the operation (cancelling a completed run).
    case conflict(request: String, message: String)
    /// Rate limited, and the next wait would take longer than `limit`, or three waits did not end it.
    case rateLimited(request: String, waitSeconds: Double, limitSeconds: Double)
    /// The server does not know the API version the client sent.
    case unsupportedAPIVersion(request: String, version: String, message: String)
    /// Any other status.
    case unexpectedStatus(request: String, status: Int, message: String)
    /// The request could not be sent, or no answer came back.
    case transport(request: String, reason: String)
    /// The response did not have the shape the contract declares.
    case invalidResponse(request: String, reason: String)
    /// The inputs break one of GitHub's limits; nothing was sent.
    case invalidInputs(String)
    /// No repository was given and the settings have no default (`GitHubSettings.defaultRepository`).
    case missingRepository
    /// A repository that is not `owner/name`.
    case invalidRepository(String)
    /// A setting that cannot be used.
    case invalidConfiguration(String)
    /// The dispatched run did not show up in the run list in time (servers that do not return run ids).
    case dispatchedRunNotFound(workflow: String, repository: String, waitedSeconds: Double)

    public var description: String {
        switch self {
        case .notFound(let request, let message):
            return "\(request): 404 \(message). The repository or workflow file was not found, the file is not on "
                + "the default branch, or the token cannot see it: check the owner/name, that the workflow file exists "
                + "on the default branch, and that the token has access to the repository"
        case .validationFailed(let request, let message):
            return "\(request): 422 \(message)"
        case .unauthorized(let request, let message):
            return "\(request): 401 \(message). Check the credentials (GitHubSettings.credentials): the token, "
                + "or the GitHub App's id, key and installation"
        case .forbidden(let request, let message):
            return "\(request): 403 \(message). The token lacks a permission: Actions: write to dispatch, cancel and "
                + "re-run (classic tokens: the repo scope), Actions: read to read runs"
        case .conflict(let request, let message):
            return "\(request): 409 \(message)"
        case .rateLimited(let request, let wait, let limit):
            return "\(request): rate limited by GitHub, which asks for another \(Self.seconds(wait)) s; the client "
                + "waits at most \(Self.seconds(limit)) s at a time (maxRateLimitWait), three times per request"
        case .unsupportedAPIVersion(let request, let version, let message):
            return "\(request): the server does not support API version \(version) (\(message)). Version 2026-03-10 "
                + "needs github.com or GitHub Enterprise Server 3.21 or later; use 2022-11-28 (GitHubSettings.apiVersion)"
        case .unexpectedStatus(let request, let status, let message):
            return "\(request): \(status) \(message)"
        case .transport(let request, let reason):
            return "\(request): no response (\(reason))"
        case .invalidResponse(let request, let reason):
            return "\(request): unexpected response (\(reason))"
        case .invalidInputs(let reason):
            return "workflow inputs not sent: \(reason)"
        case .missingRepository:
            return "GitHub repo must be specified either in the call or settings (GitHubSettings.defaultRepository)."
        case .invalidRepository(let text):
            return "'\(text)' is not a GitHub repository: expected owner/name"
        case .invalidConfiguration(let reason):
            return reason
        case .dispatchedRunNotFound(let workflow, let repository, let waited):
            return "dispatched \(workflow) in \(repository), but no matching run appeared within \(Self.seconds(waited)) s; "
                + "the server returned no run id (GitHub Enterprise Server before 3.21)"
        }
    }

    /// The HTTP status GitHub answered with, if it answered.
    public var status: Int? {
        switch self {
        case .notFound: 404
        case .validationFailed: 422
        case .unauthorized: 401
        case .forbidden: 403
        case .conflict: 409
        case .unexpectedStatus(_, let status, _): status
        default: nil
        }
    }

    private static func seconds(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
}
