import Crypto
import Foundation

/// Signs deliveries as QStash does: what `hookflow-qstash-dev` puts in `Upstash-Signature`,
/// and what tests use to call a webhook as QStash would.
public struct QStashSigner: Sendable {
    /// The key deliveries are signed with (QStash signs with the current key).
    public let key: String
    /// How long a token is valid: five minutes, as QStash issues them.
    public let lifetime: Duration

    public init(key: String, lifetime: Duration = .seconds(300)) {
        self.key = key
        self.lifetime = lifetime
    }

    /// A token for `body` delivered to `url`.
    public func sign(body: some DataProtocol, url: String, now: Date = Date()) async throws -> String {
        let issued = now.timeIntervalSince1970.rounded(.down)
        let claims = QStashClaims(
            iss: "Upstash", sub: url, exp: issued + Double(lifetime.components.seconds), nbf: issued, iat: issued,
            jti: "jwt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24).lowercased(),
            body: BodyHash.of(body))
        return try HS256Token.sign(claims, key: SymmetricKey(data: Data(key.utf8)))
    }
}
