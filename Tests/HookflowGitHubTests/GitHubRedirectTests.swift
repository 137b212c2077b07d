@testable import HookflowGitHub
import XCTest

final class GitHubRedirectTests: XCTestCase {
    func testCredentialsFollowRedirectsOnlyToTheAPIsOwnOrigin() {
        let api = "https://api.github.com"
        XCTAssertTrue(GitHubClient.sameOrigin("https://api.github.com/repositories/1/actions/runs/2", api))
        for elsewhere in [
            "https://api.github.com@evil.example/x", "https://api.github.com.evil.example/x",
            "http://api.github.com/x", "https://api.github.com:8443/x", "https://user:pw@api.github.com/x",
            "https://pipelines.actions.githubusercontent.com/logs.zip",
        ] {
            XCTAssertFalse(GitHubClient.sameOrigin(elsewhere, api), elsewhere)
        }
    }
}
