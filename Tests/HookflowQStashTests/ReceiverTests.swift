import Crypto
import Foundation
import JWTKit
import XCTest

@testable import HookflowQStash

final class ReceiverTests: XCTestCase {
    let keys = QStashSigningKeys.development
    let url = "https://app.example.com/hookflow/workflow/process-order/"
    let body = Data(#"{"run_id":"r-1"}"#.utf8)

    func testBodyHashIsBase64URLOfSHA256AsUpstashComputesIt() {
        // Vectors from qstash-protocol.md §3.4 (PyPI qstash 3.4.0).
        XCTAssertEqual(BodyHash.of(Data(#"{"hello":"world"}"#.utf8)), "k6I5cakU5erL8KjSUVTNownDwccvu5kU1Hxg88toFYg=")
        XCTAssertEqual(BodyHash.of(Data()), "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    func testTokenSignedWithTheCurrentOrTheNextKeyIsAccepted() async throws {
        let receiver = QStashReceiver(keys: keys)
        for key in [keys.current, keys.next] {
            let token = try await QStashSigner(key: key).sign(body: body, url: url)
            try await receiver.verify(signature: token, body: body, url: url)
        }
    }

    func testEveryTamperingIsRefusedWithItsReason() async throws {
        let receiver = QStashReceiver(keys: keys)
        let token = try await QStashSigner(key: keys.current).sign(body: body, url: url)
        try await expect(.bodyMismatch) {
            try await receiver.verify(signature: token, body: Data(#"{"run_id":"r-2"}"#.utf8), url: self.url)
        }
        try await expect(.wrongURL) { try await receiver.verify(signature: token, body: self.body, url: self.url + "x/") }
        try await expect(.wrongURL) {
            try await receiver.verify(signature: token, body: self.body, url: String(self.url.dropLast()))
        }
        let foreign = try await QStashSigner(key: "sig_someoneElsesKeyOfThirtyTwoChars").sign(body: body, url: url)
        try await expect(.invalid) { try await receiver.verify(signature: foreign, body: self.body, url: self.url) }
        try await expect(.missing) { try await receiver.verify(signature: nil, body: self.body, url: self.url) }
        try await expect(.invalid) { try await receiver.verify(signature: "not.a.jwt", body: self.body, url: self.url) }
    }

    func testShortKeysAreRefusedNamingTheKey() {
        XCTAssertNoThrow(try QStashSigningKeys.development.validate())
        XCTAssertThrowsError(try QStashSigningKeys(current: QStashSigningKeys.development.current, next: "sig_short").validate()) {
            XCTAssertEqual(($0 as? QStashSigningKeyError)?.setting, "QStashSigningKeys.next")
        }
    }

    func testExpiryAndNotBeforeHonourTheClockTolerance() async throws {
        let issued = Date().addingTimeInterval(-400)
        let token = try await QStashSigner(key: keys.current).sign(body: body, url: url, now: issued)
        try await expect(.expired) { try await QStashReceiver(keys: self.keys).verify(signature: token, body: self.body, url: self.url) }
        try await QStashReceiver(keys: keys, clockTolerance: .seconds(120)).verify(signature: token, body: body, url: url)

        let future = try await QStashSigner(key: keys.current).sign(body: body, url: url, now: Date().addingTimeInterval(30))
        try await expect(.notYetValid) { try await QStashReceiver(keys: self.keys).verify(signature: future, body: self.body, url: self.url) }
        try await QStashReceiver(keys: keys, clockTolerance: .seconds(60)).verify(signature: future, body: body, url: url)
    }

    func testWrongIssuerAndMissingNotBeforeAreRefused() async throws {
        struct Claims: JWTPayload {
            var iss: String
            var sub: String
            var exp: Double
            var nbf: Double?
            var body: String
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let collection = JWTKeyCollection()
        await collection.add(hmac: HMACKey(from: keys.current), digestAlgorithm: .sha256)
        let now = Date().timeIntervalSince1970
        let hash = BodyHash.of(body)
        let receiver = QStashReceiver(keys: keys)

        let impostor = try await collection.sign(Claims(iss: "Someone", sub: url, exp: now + 60, nbf: now, body: hash))
        try await expect(.wrongIssuer) { try await receiver.verify(signature: impostor, body: self.body, url: self.url) }
        let noNotBefore = try await collection.sign(Claims(iss: "Upstash", sub: url, exp: now + 60, nbf: nil, body: hash))
        try await expect(.invalid) { try await receiver.verify(signature: noNotBefore, body: self.body, url: self.url) }
        let unpadded = try await collection.sign(
            Claims(iss: "Upstash", sub: url, exp: now + 60, nbf: now, body: BodyHash.unpadded(hash)))
        try await receiver.verify(signature: unpadded, body: body, url: url)
    }

    func testOnlyHS256IsAcceptedEvenWithAValidMAC() async throws {
        let receiver = QStashReceiver(keys: keys)
        let genuine = try await QStashSigner(key: keys.current).sign(body: body, url: url)
        let claims = genuine.split(separator: ".")[1]
        for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"HS512","typ":"JWT"}"#, #"{"alg":"RS256"}"#, #"{"typ":"JWT"}"#,
                       #"{"alg":"HS256","crit":["exp"],"exp":1}"#] {
            let token = signed(header: header, claims: claims)
            try await expect(.invalid) { try await receiver.verify(signature: token, body: self.body, url: self.url) }
        }
        let unsigned = "\(Self.base64URL(Data(#"{"alg":"none"}"#.utf8))).\(claims)."
        try await expect(.invalid) { try await receiver.verify(signature: unsigned, body: self.body, url: self.url) }
        // The same construction with HS256 is accepted: the header, not the MAC, refused the others.
        try await receiver.verify(signature: signed(header: #"{"alg":"HS256"}"#, claims: claims), body: body, url: url)
    }

    func testATamperedSignatureOrClaimIsRefused() async throws {
        let receiver = QStashReceiver(keys: keys)
        let token = try await QStashSigner(key: keys.current).sign(body: body, url: url)
        let parts = token.split(separator: ".").map(String.init)
        var mac = Array(parts[2])
        mac[10] = mac[10] == "A" ? "B" : "A"
        var forged = parts
        forged[2] = String(mac)
        try await expect(.invalid) { try await receiver.verify(signature: forged.joined(separator: "."), body: self.body, url: self.url) }
        forged = parts
        forged[1] = Self.base64URL(Data(#"{"iss":"Upstash","sub":"https://evil.example.com/","exp":9999999999,"nbf":0,"body":""}"#.utf8))
        try await expect(.invalid) { try await receiver.verify(signature: forged.joined(separator: "."), body: self.body, url: self.url) }
        forged = parts
        forged[2] = ""
        try await expect(.invalid) { try await receiver.verify(signature: forged.joined(separator: "."), body: self.body, url: self.url) }
    }

    func testMalformedTokensAreRefused() async throws {
        let receiver = QStashReceiver(keys: keys)
        let token = try await QStashSigner(key: keys.current).sign(body: body, url: url)
        let parts = token.split(separator: ".").map(String.init)
        let malformed = [
            parts[0] + "." + parts[1],  // two segments
            token + "." + parts[2],  // four segments
            token + "=",  // padding
            parts[0] + "." + parts[1] + "+" + "." + parts[2],  // standard base64, not base64url
            parts[0] + ".%%%." + parts[2],  // not base64 at all
            "\(Self.base64URL(Data("not json".utf8))).\(parts[1]).\(parts[2])",  // a header that is not JSON
            signed(header: #"{"alg":"HS256"}"#, claims: Substring(Self.base64URL(Data("[1,2]".utf8)))),  // claims not an object
            ".",
            "",
        ]
        for text in malformed {
            do {
                try await receiver.verify(signature: text, body: body, url: url)
                XCTFail("accepted the malformed token '\(text)'")
            } catch let error as QStashSignatureError {
                XCTAssertTrue([.invalid, .missing].contains(error.reason), "\(text): \(error)")
            }
        }
    }

    /// A token with `header` and `claims` (base64url), MACed with HS256 under the current key whatever the header says.
    private func signed(header: String, claims: Substring) -> String {
        let input = "\(Self.base64URL(Data(header.utf8))).\(claims)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(keys.current.utf8)))
        return input + "." + Self.base64URL(Data(mac))
    }

    private static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    private func expect(
        _ reason: QStashSignatureError.Reason, file: StaticString = #filePath, line: UInt = #line,
        _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
            XCTFail("accepted; expected \(reason)", file: file, line: line)
        } catch let error as QStashSignatureError {
            XCTAssertEqual(error.reason, reason, "\(error)", file: file, line: line)
        }
    }
}
