import Crypto
import Foundation

/// Checks and reads GitHub webhook deliveries.
///
/// A delivery is accepted only when `X-Hub-Signature-256` is the HMAC-SHA256 of the raw
/// body under the webhook's secret (compared in constant time).
public struct GitHubWebhook: Sendable {
    private let key: SymmetricKey

    /// `secret` is the webhook's secret, as entered on GitHub.
    public init(secret: String) {
        self.key = SymmetricKey(data: Data(secret.utf8))
    }

    /// Throws ``GitHubWebhookSignatureError`` unless `signature` (the `X-Hub-Signature-256`
    /// header) signs `body`.
    public func verify(body: Data, signature: String?) throws {
        guard let signature else { throw GitHubWebhookSignatureError.missing }
        guard signature.hasPrefix("sha256="), let mac = Self.hex(signature.dropFirst(7)), mac.count == 32 else {
            throw GitHubWebhookSignatureError.malformed
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key) else {
            throw GitHubWebhookSignatureError.mismatch
        }
    }

    /// The `X-Hub-Signature-256` value of `body`, as GitHub computes it.
    public func signature(of body: Data) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: key).map { String(format: "%02x", $0) }.joined()
    }

    private static func hex(_ text: Substring) -> Data? {
        guard text.count % 2 == 0 else { return nil }
        var data = Data(capacity: text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}

/// Why a webhook delivery was refused.
public enum GitHubWebhookSignatureError: Error, Sendable, CustomStringConvertible {
    case missing
    case malformed
    case mismatch

    public var description: String {
        switch self {
        case .missing: "no X-Hub-Signature-256 header: give the webhook on GitHub the secret of GitHubWebhook(secret:)"
        case .malformed: "X-Hub-Signature-256 is not sha256=<64 hex digits>"
        case .mismatch: "X-Hub-Signature-256 does not match the body: the webhook's secret on GitHub differs from GitHubWebhook(secret:)"
        }
    }
}
