import Crypto
import Foundation

/// Verifies that a request really comes from QStash, as Upstash's SDKs do.
///
/// The `Upstash-Signature` header is an HS256 JWT. It is accepted when, with the current
/// key or else the next one, its header names HS256 (no other algorithm, not `none`), its
/// MAC is valid, `iss` is `Upstash`, `exp` and `nbf` hold (within `clockTolerance`), `sub`
/// is exactly the public URL the message was sent to, and `body` is the base64url SHA-256
/// of the raw bytes received.
///
/// ```swift
/// let receiver = QStashReceiver(keys: .init(current: currentKey, next: nextKey))
/// try await receiver.verify(signature: header, body: rawBody, url: "https://app.example.com/hookflow/workflow/process-order/")
/// ```
public struct QStashReceiver: Sendable {
    public let keys: QStashSigningKeys
    public let clockTolerance: Duration

    /// - Precondition: both keys have at least 32 characters, as QStash's `sig_…` keys do
    ///   (``QStashSigningKeys/validate()`` says which one does not).
    public init(keys: QStashSigningKeys, clockTolerance: Duration = .zero) {
        self.keys = keys
        self.clockTolerance = clockTolerance
    }

    /// Throws ``QStashSignatureError`` unless the signature is valid for `body` sent to `url`.
    public func verify(
        signature: String?, body: some DataProtocol, url: String, now: Date = Date()
    ) async throws {
        guard let signature, !signature.isEmpty else { throw QStashSignatureError(.missing) }
        var failure = QStashSignatureError(.invalid)
        for key in [keys.current, keys.next] {
            do {
                try verify(signature, key: key, body: body, url: url, now: now)
                return
            } catch let error as QStashSignatureError {
                // A key whose MAC matched explains the refusal better than one that did not.
                if failure.reason == .invalid { failure = error }
            }
        }
        throw failure
    }

    private func verify(
        _ token: String, key: String, body: some DataProtocol, url: String, now: Date
    ) throws {
        let claims: QStashClaims
        do {
            claims = try HS256Token.verify(token, key: SymmetricKey(data: Data(key.utf8)), as: QStashClaims.self)
        } catch {
            throw QStashSignatureError(.invalid, detail: "\(error)")
        }
        let tolerance = Double(clockTolerance.components.seconds)
        let time = now.timeIntervalSince1970
        guard claims.iss == "Upstash" else { throw QStashSignatureError(.wrongIssuer, detail: claims.iss) }
        guard time <= claims.exp + tolerance else { throw QStashSignatureError(.expired) }
        guard time >= claims.nbf - tolerance else { throw QStashSignatureError(.notYetValid) }
        guard claims.sub == url else {
            throw QStashSignatureError(.wrongURL, detail: "signed for \(claims.sub), received at \(url)")
        }
        let expected = Array(BodyHash.unpadded(BodyHash.of(body)).utf8)
        let received = Array(BodyHash.unpadded(claims.body).utf8)
        guard expected.count == received.count, zip(expected, received).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw QStashSignatureError(.bodyMismatch)
        }
    }
}
