import Crypto
import Foundation

/// Compact JSON Web Tokens signed with HMAC-SHA256 (RFC 7515, RFC 7519), the only kind
/// QStash issues. A token is `base64url(header).base64url(claims).base64url(MAC)`, without
/// `=` padding.
enum HS256Token {
    /// Why a token was refused before its claims were read.
    enum Failure: Error, CustomStringConvertible, Equatable {
        /// Not three base64url segments, or a header or claims that are not the JSON expected.
        case malformed(String)
        /// A header whose `alg` is not `HS256` (`none`, `RS256`, missing), or that asks for extensions.
        case unsupportedHeader(String)
        /// The MAC is not the key's MAC of the header and claims.
        case signatureMismatch

        var description: String {
            switch self {
            case .malformed(let reason): "malformed token: \(reason)"
            case .unsupportedHeader(let reason): "unsupported token header: \(reason)"
            case .signatureMismatch: "signature does not match"
            }
        }
    }

    private struct Header: Codable {
        var alg: String?
        var typ: String?
        /// Extensions the recipient must understand (RFC 7515 §4.1.11); QStash sends none.
        var crit: [String]?
    }

    /// A token for `claims`, signed with `key`.
    static func sign(_ claims: some Encodable, key: SymmetricKey) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = base64URL(try encoder.encode(Header(alg: "HS256", typ: "JWT")))
        let input = header + "." + base64URL(try encoder.encode(claims))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key)
        return input + "." + base64URL(Data(mac))
    }

    /// The claims of `token`, once its header says HS256 and its MAC under `key` is valid
    /// (compared in constant time). The claims are decoded only after the MAC is checked.
    static func verify<Claims: Decodable>(_ token: String, key: SymmetricKey, as _: Claims.Type) throws -> Claims {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw Failure.malformed("\(segments.count) segments, a JWS has 3") }
        guard let headerBytes = base64URLDecoded(segments[0]), let claimBytes = base64URLDecoded(segments[1]),
            let mac = base64URLDecoded(segments[2])
        else { throw Failure.malformed("a segment is not unpadded base64url") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: headerBytes)
        } catch {
            throw Failure.malformed("the header is not a JSON object with a string alg")
        }
        guard header.alg == "HS256" else { throw Failure.unsupportedHeader("alg \(header.alg ?? "missing"), only HS256 is accepted") }
        guard header.crit == nil else { throw Failure.unsupportedHeader("crit extensions are not supported") }
        let signingInput = Data("\(segments[0]).\(segments[1])".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signingInput, using: key) else {
            throw Failure.signatureMismatch
        }
        do {
            return try JSONDecoder().decode(Claims.self, from: claimBytes)
        } catch {
            throw Failure.malformed("claims: \(error)")
        }
    }

    /// base64url (RFC 4648 §5) without padding.
    static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// The bytes of an unpadded base64url segment, or `nil` when it is not one in canonical form
    /// (padding, other characters, or unused bits set), so no two spellings of a MAC are accepted.
    static func base64URLDecoded(_ segment: Substring) -> Data? {
        let alphabet = segment.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        guard alphabet, segment.utf8.count % 4 != 1 else { return nil }
        let standard = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = standard + String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), base64URL(data) == segment else { return nil }
        return data
    }
}
