import Foundation
import HookflowGitHub
import XCTest

final class GitHubWebhookSignatureTests: XCTestCase {
    func testSignatureMatchesGitHubsTestVector() throws {
        let webhook = GitHubWebhook(secret: "It's a Secret to Everybody")
        let body = Data("Hello, World!".utf8)
        XCTAssertEqual(webhook.signature(of: body), "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
        XCTAssertNoThrow(try webhook.verify(body: body, signature: webhook.signature(of: body)))
        XCTAssertThrowsError(try webhook.verify(body: Data("Hello, World?".utf8), signature: webhook.signature(of: body)))
        XCTAssertThrowsError(try webhook.verify(body: body, signature: "sha256=zz"))
        XCTAssertThrowsError(try webhook.verify(body: body, signature: nil))
    }
}
