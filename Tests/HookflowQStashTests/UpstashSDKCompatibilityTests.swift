import Foundation
import UpstashSDK
import XCTest

@testable import HookflowQStash
import QStashDevServer

/// Our receiver and signer against Upstash's own `qstash.Receiver`: same token, same verdict.
final class UpstashSDKCompatibilityTests: XCTestCase {
    let keys = QStashSigningKeys.development
    let url = "https://app.example.com/hookflow/workflow/process-order/"

    /// Signs like QStash (PyJWT, HS256, QStash's claims) with `key`, for `body` and `sub`.
    static let sign = """
        import base64, hashlib, sys, time, jwt
        key, body, sub, age = sys.argv[1], sys.argv[2].encode(), sys.argv[3], int(sys.argv[4])
        now = int(time.time()) - age
        digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).decode()
        print(jwt.encode({"iss": "Upstash", "sub": sub, "exp": now + 300, "nbf": now, "iat": now,
                          "jti": "jwt_test", "body": digest}, key, algorithm="HS256"))
        """

    /// Upstash's receiver's verdict: "valid" or "invalid".
    static let verify = """
        import sys
        from qstash import Receiver
        receiver = Receiver(current_signing_key=sys.argv[1], next_signing_key=sys.argv[2])
        try:
            receiver.verify(signature=sys.argv[3], body=sys.argv[4], url=sys.argv[5])
            print("valid")
        except Exception:
            print("invalid")
        """

    func testOurSignaturesPassUpstashsReceiver() async throws {
        let body = #"{"run_id":"r-1"}"#
        for key in [keys.current, keys.next] {
            let token = try await QStashSigner(key: key).sign(body: Data(body.utf8), url: url)
            let verdict = try UpstashSDK.script(Self.verify, [keys.current, keys.next, token, body, url])
            XCTAssertEqual(verdict, "valid", "Upstash's receiver refused a token signed with \(key == keys.current ? "current" : "next")")
        }
        let tampered = try await QStashSigner(key: keys.current).sign(body: Data(body.utf8), url: url)
        XCTAssertEqual(try UpstashSDK.script(Self.verify, [keys.current, keys.next, tampered, body + " ", url]), "invalid")
    }

    func testOurReceiverAgreesWithUpstashsOnEveryCase() async throws {
        let body = #"{"run_id":"r-1","data":{"order_id":"A-1"}}"#
        struct Case { var name: String; var key: String; var signedBody: String; var sub: String; var age: Int; var receivedBody: String; var receivedURL: String }
        let cases = [
            Case(name: "genuine", key: keys.current, signedBody: body, sub: url, age: 0, receivedBody: body, receivedURL: url),
            Case(name: "next key", key: keys.next, signedBody: body, sub: url, age: 0, receivedBody: body, receivedURL: url),
            Case(name: "other key", key: "sig_notOursButLongEnoughForHS256x", signedBody: body, sub: url, age: 0, receivedBody: body, receivedURL: url),
            Case(name: "tampered body", key: keys.current, signedBody: body, sub: url, age: 0, receivedBody: body + "x", receivedURL: url),
            Case(name: "other url", key: keys.current, signedBody: body, sub: url, age: 0, receivedBody: body, receivedURL: url + "x/"),
            Case(name: "no trailing slash", key: keys.current, signedBody: body, sub: url, age: 0, receivedBody: body, receivedURL: String(url.dropLast())),
            Case(name: "expired", key: keys.current, signedBody: body, sub: url, age: 400, receivedBody: body, receivedURL: url),
            Case(name: "empty body", key: keys.current, signedBody: "", sub: url, age: 0, receivedBody: "", receivedURL: url),
        ]
        let receiver = QStashReceiver(keys: keys)
        for test in cases {
            let token = try UpstashSDK.script(Self.sign, [test.key, test.signedBody, test.sub, "\(test.age)"])
            let upstash = try UpstashSDK.script(Self.verify, [keys.current, keys.next, token, test.receivedBody, test.receivedURL])
            var ours = "valid"
            do {
                try await receiver.verify(signature: token, body: Data(test.receivedBody.utf8), url: test.receivedURL)
            } catch is QStashSignatureError {
                ours = "invalid"
            }
            XCTAssertEqual(ours, upstash, "\(test.name): ours says \(ours), Upstash's SDK says \(upstash)")
        }
    }
}

/// Upstash's SDK on both ends of the local server: its receiver accepts our server's deliveries,
/// and its client publishes through our server.
final class UpstashSDKLocalServerTests: XCTestCase {
    func testUpstashsReceiverAcceptsADeliveryOfTheLocalServer() async throws {
        let server = try await DevServerFixture.start()
        _ = try await server.client.publish(.init(destination: server.baseURL + "/hook/ok", body: Data(#"{"a":1}"#.utf8)))
        let delivery = try await server.waitFor(1, at: "ok")[0]
        let signature = try XCTUnwrap(delivery.headers.first(name: "Upstash-Signature"))
        let verdict = try UpstashSDK.script(UpstashSDKCompatibilityTests.verify, [
            QStashSigningKeys.development.current, QStashSigningKeys.development.next, signature, delivery.body,
            server.baseURL + "/hook/ok",
        ])
        XCTAssertEqual(verdict, "valid")
        try await server.stop()
    }

    func testUpstashsClientPublishesThroughTheLocalServer() async throws {
        let server = try await DevServerFixture.start()
        let publish = """
            import sys
            from qstash import QStash
            client = QStash(sys.argv[2], base_url=sys.argv[1])
            result = client.message.publish(url=sys.argv[3], body=sys.argv[4], content_type="application/json",
                                            headers={"X-Source": "upstash-sdk"}, delay="1s")
            print(result.message_id)
            """
        let messageID = try UpstashSDK.script(publish, [
            server.baseURL, QStashDevConfiguration.developmentToken, server.baseURL + "/hook/sdk", #"{"from":"python"}"#,
        ])
        XCTAssertTrue(messageID.hasPrefix("msg_"), messageID)
        let delivery = try await server.waitFor(1, at: "sdk")[0]
        XCTAssertTrue(delivery.signatureValid)
        XCTAssertEqual(delivery.body, #"{"from":"python"}"#)
        XCTAssertEqual(delivery.headers.first(name: "X-Source"), "upstash-sdk")
        XCTAssertEqual(delivery.headers.first(name: "Upstash-Message-Id"), messageID)
        try await server.stop()
    }
}
