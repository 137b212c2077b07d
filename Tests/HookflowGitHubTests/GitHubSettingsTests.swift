import Foundation
import HookflowGitHub
import XCTest

final class GitHubSettingsTests: XCTestCase {
    func testSettingsNameTheVariableAtFault() throws {
        let cases: [([String: String], String)] = [
            (["GITHUB_DEFAULT_REPO": "not-a-repo"], "GITHUB_DEFAULT_REPO"),
            (["GITHUB_APP_ID": "1"], "GITHUB_APP_PRIVATE_KEY"),
            (["GITHUB_APP_ID": "1", "GITHUB_APP_PRIVATE_KEY": "pem"], "GITHUB_APP_INSTALLATION_ID"),
            (["GITHUB_APP_ID": "1", "GITHUB_APP_PRIVATE_KEY": "pem", "GITHUB_APP_INSTALLATION_ID": "x"], "GITHUB_APP_INSTALLATION_ID"),
            (["GITHUB_API_URL": "ftp://example.com"], "GITHUB_API_URL"),
            (["GITHUB_API_VERSION": "2020-01-01"], "GITHUB_API_VERSION"),
        ]
        for (environment, setting) in cases {
            XCTAssertThrowsError(try GitHubSettings.fromEnvironment(environment)) { error in
                XCTAssertTrue("\(error)".hasPrefix(setting), "\(environment): \(error)")
            }
        }
        let none = try GitHubSettings.fromEnvironment([:])
        XCTAssertThrowsError(try none.client()) { error in
            XCTAssertTrue("\(error)".hasPrefix("GitHubSettings.credentials"), "\(error)")
        }
        let pat = try GitHubSettings.fromEnvironment([
            "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_x", "GITHUB_DEFAULT_REPO": "acme/shop.git",
            "GITHUB_WEBHOOK_SECRET": "s", "GITHUB_API_URL": "https://ghe.example.com/api/v3",
        ])
        let client = try pat.client()
        XCTAssertEqual(client.configuration.defaultRepository?.description, "acme/shop")
        XCTAssertTrue(client.configuration.receivesWebhooks)
        XCTAssertEqual(client.configuration.apiURL, "https://ghe.example.com/api/v3")
    }
}
