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

    func testShortKeysAreRefusedNamingTheSetting() {
        XCTAssertNoThrow(try QStashSigningKeys.development.validate())
        XCTAssertThrowsError(try QStashSigningKeys(current: QStashSigningKeys.development.current, next: "sig_short").validate()) {
            XCTAssertEqual(($0 as? QStashSigningKeyError)?.setting, "QSTASH_NEXT_SIGNING_KEY")
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
