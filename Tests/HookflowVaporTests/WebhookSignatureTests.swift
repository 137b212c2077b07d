import Crypto
import Foundation
import Hookflow
import HookflowQStash
import HookflowVapor
import JWTKit
import NIOCore
import QStashDevServer
import Vapor
import XCTVapor

/// The webhook's answer to every way a signature can be wrong, and to the ways it can be right.
final class WebhookSignatureTests: XCTestCase {
    struct Claims: JWTPayload {
        var iss = "Upstash"
        var sub: String
        var exp: Int
        var nbf: Int
        var iat: Int
        var jti = "jwt_matrix"
        var body: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    private static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    private func sign(_ claims: Claims, key: String) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: key), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    func testEveryForgeryIsRefusedWith401AndGenuineTokensAreAccepted() async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-matrix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try app.hookflow.use(database: .sqlite(path: folder.appendingPathComponent("app.sqlite").path))
        app.hookflow.register(Tally(counts: StepCounts()))
        try app.hookflow.mountWebhooks(on: app)
        // http: the development keys are refused with an https domain.
        let domain = "http://app.example.com"
        try app.hookflow.use(.qstash(QStashSettings(
            url: "http://127.0.0.1:9", token: QStashDevConfiguration.developmentToken, signingKeys: .development,
            domain: domain)))
        try await app.asyncBoot()

        let path = "/hookflow/workflow/tally/"
        let url = domain + path
        let body = #"{"run_id":"matrix"}"#
        let hash = Self.base64URL(Data(SHA256.hash(data: Data(body.utf8))))
        let now = Int(Date().timeIntervalSince1970)
        let genuine = Claims(sub: url, exp: now + 300, nbf: now, iat: now, body: hash)
        let keys = QStashSigningKeys.development
        _ = try await app.hookflow.engine.store.createRun(runID: "matrix", workflowID: "tally", input: "1", now: Date())

        func status(_ token: String?, body: String = body) async throws -> UInt {
            try await app.testable().sendRequest(
                .POST, path, headers: token.map { ["Upstash-Signature": $0] } ?? [:], body: ByteBuffer(string: body)
            ).status.code
        }

        let valid = try await sign(genuine, key: keys.current)
        var flipped = Array(valid)
        flipped[flipped.count - 2] = flipped[flipped.count - 2] == "A" ? "B" : "A"
        let header = Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let payload = Self.base64URL(try JSONEncoder().encode(genuine))
        var expired = genuine, early = genuine, elsewhere = genuine
        expired.exp = now - 10
        expired.nbf = now - 310
        early.nbf = now + 60
        elsewhere.sub = "https://evil.example.com" + path
        let forgeries: [(String, String?, String)] = [
            ("no header", nil, body),
            ("bad MAC", String(flipped), body),
            ("unknown key", try await sign(genuine, key: "sig_aKeyQStashNeverIssuedToThisApp"), body),
            ("expired", try await sign(expired, key: keys.current), body),
            ("nbf in the future", try await sign(early, key: keys.current), body),
            ("another sub", try await sign(elsewhere, key: keys.current), body),
            ("body altered by one byte", valid, #"{"run_id":"matriy"}"#),
            ("alg none", "\(header).\(payload).", body),
        ]
        for (name, token, sent) in forgeries {
            let code = try await status(token, body: sent)
            XCTAssertEqual(code, 401, "\(name) was not refused")
        }

        var unpadded = genuine
        unpadded.body = String(hash.reversed().drop { $0 == "=" }.reversed())
        let accepted: [(String, String)] = [
            ("current key", valid), ("next key", try await sign(genuine, key: keys.next)),
            ("unpadded body claim", try await sign(unpadded, key: keys.current)),
        ]
        for (name, token) in accepted {
            let code = try await status(token)
            XCTAssertEqual(code, 200, "a token signed with the \(name) was refused")
        }
        let run = try await app.hookflow.status(of: "matrix")
        XCTAssertEqual(run?.status, .completed)
        try await app.asyncShutdown()
    }
}
