import GitHubFake
import Hookflow
import HookflowGitHub
import XCTest

/// A test against a fresh GitHub fake holding `acme/shop`; the exchanges must conform to the contract.
class GitHubFakeTestCase: XCTestCase {
    var fake: GitHubFakeServer!
    let shop = try! GitHubRepository("acme/shop")

    override func setUp() async throws {
        fake = try await GitHubFakeServer.start()
        try await fake.configureShop()
    }

    override func tearDown() async throws {
        if let fake {
            let violations = try await fake.violations()
            XCTAssertEqual(violations, [], "requests or responses broke the GitHub contract")
            try await fake.stop()
        }
        fake = nil
    }

    /// A client of the fake with the token `ghp_test` and `acme/shop` as default repository.
    func client(
        version: GitHubAPIVersion = .v2022_11_28, credentials: GitHubCredentials = .token("ghp_test"),
        configure: (inout GitHubClient.Configuration) -> Void = { _ in }
    ) -> GitHubClient {
        var configuration = GitHubClient.Configuration(
            apiURL: fake.baseURL, apiVersion: version, defaultRepository: shop, correlationTimeout: .seconds(5))
        configuration.logger.logLevel = .critical
        configure(&configuration)
        return GitHubClient(credentials: credentials, configuration: configuration)
    }

    /// The API requests the fake received whose path ends with `suffix`.
    func requests(endingWith suffix: String) async throws -> [JSON] {
        try await fake.requests().filter { $0["path"].stringValue?.hasSuffix(suffix) == true }
    }
}
