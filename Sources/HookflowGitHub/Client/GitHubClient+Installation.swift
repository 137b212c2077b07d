import Foundation

extension GitHubClient {
    struct InstallationToken: Decodable {
        var token: String
        var expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case token, expiresAt = "expires_at"
        }
    }

    /// Exchanges an app JWT for an installation token.
    func createInstallationToken(installationID: Int64, jwt: String) async throws -> InstallationToken {
        try await send(
            InstallationToken.self, .POST, "/app/installations/\(installationID)/access_tokens", auth: .bearer(jwt))
    }
}
