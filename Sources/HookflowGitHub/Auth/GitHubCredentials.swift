/// How the client authenticates to GitHub.
public enum GitHubCredentials: Sendable {
    /// A personal access token (classic or fine-grained), or any installation token you manage.
    case token(String)
    /// A GitHub App: the client signs an RS256 JWT with the app's key and exchanges it for
    /// an installation token, cached until shortly before it expires.
    case app(GitHubAppCredentials)
}

/// A GitHub App's identity and the installation the client acts as.
public struct GitHubAppCredentials: Sendable {
    /// The app's client id (recommended by GitHub) or numeric app id: the JWT's issuer.
    public var appID: String
    /// The app's private key, PEM (PKCS#1 as GitHub issues it, or PKCS#8).
    public var privateKeyPEM: String
    /// The installation of the app on the account that owns the repositories.
    public var installationID: Int64

    public init(appID: String, privateKeyPEM: String, installationID: Int64) {
        self.appID = appID
        self.privateKeyPEM = privateKeyPEM
        self.installationID = installationID
    }
}
