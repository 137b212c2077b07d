import Crypto
import Foundation

/// The claims of an `Upstash-Signature` token, checked by ``QStashReceiver`` with its clock tolerance.
struct QStashClaims: Codable {
    var iss: String
    var sub: String
    var exp: Double
    var nbf: Double
    var iat: Double?
    var jti: String?
    /// base64url of SHA-256 of the body, with or without `=` padding.
    var body: String
}

enum BodyHash {
    /// base64url (RFC 4648 §5) of SHA-256 of `body`, with `=` padding as QStash emits it.
    static func of(_ body: some DataProtocol) -> String {
        Data(SHA256.hash(data: Data(body))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    static func unpadded(_ hash: String) -> String {
        String(hash.reversed().drop { $0 == "=" }.reversed())
    }
}
