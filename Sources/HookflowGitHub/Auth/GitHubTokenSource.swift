import Foundation

/// Hands out the `Authorization` header value for API requests, fetching and caching a
/// GitHub App's installation token when the credentials are an app's.
actor GitHubTokenSource {
    private let credentials: GitHubCredentials
    private var signer: GitHubAppSigner?
    private var installationToken: (value: String, expiresAt: Date)?
    /// An installation token is replaced this long before it expires.
    static let refreshMargin: TimeInterval = 5 * 60

    init(credentials: GitHubCredentials) {
        self.credentials = credentials
    }

    /// The header for ordinary API requests.
    func authorization(client: GitHubClient) async throws -> String {
        switch credentials {
        case .token(let token):
            return "Bearer \(token)"
        case .app(let app):
            let now = Date()
            if let installationToken, installationToken.expiresAt.timeIntervalSince(now) > Self.refreshMargin {
                return "Bearer \(installationToken.value)"
            }
            let jwt = try await appJWT(app, now: now)
            let fetched = try await client.createInstallationToken(installationID: app.installationID, jwt: jwt)
            installationToken = (fetched.token, fetched.expiresAt)
            return "Bearer \(fetched.token)"
        }
    }

    /// Forgets the cached installation token (after a 401), so the next request fetches a new one.
    func invalidate() {
        installationToken = nil
    }

    private func appJWT(_ app: GitHubAppCredentials, now: Date) async throws -> String {
        if signer == nil { signer = try await GitHubAppSigner(credentials: app) }
        return try await signer!.token(now: now)
    }
}
