import Foundation
import JWTKit

/// The claims of a GitHub App's JWT: issued a minute in the past against clock drift,
/// valid for ten minutes at most.
struct GitHubAppClaims: JWTPayload {
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var iss: IssuerClaim

    func verify(using algorithm: some JWTAlgorithm) throws {
        try exp.verifyNotExpired()
    }
}

/// Signs app JWTs with the app's RSA key.
struct GitHubAppSigner: Sendable {
    private let keys: JWTKeyCollection
    let appID: String

    init(credentials: GitHubAppCredentials) async throws {
        let key: Insecure.RSA.PrivateKey
        do {
            key = try Insecure.RSA.PrivateKey(pem: credentials.privateKeyPEM)
        } catch {
            throw GitHubError.invalidConfiguration(
                "GitHubAppCredentials.privateKeyPEM is not an RSA private key in PEM form (\(error))")
        }
        self.keys = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256)
        self.appID = credentials.appID
    }

    func token(now: Date) async throws -> String {
        let claims = GitHubAppClaims(
            iat: IssuedAtClaim(value: now.addingTimeInterval(-60)),
            exp: ExpirationClaim(value: now.addingTimeInterval(9 * 60)),
            iss: IssuerClaim(value: appID))
        return try await keys.sign(claims)
    }
}
