import Foundation
import GitHubFake
import Hookflow
import XCTest

/// `hookflow-demo hookflow github dispatch`, run as a process against the GitHub fake.
final class GitHubCommandTests: XCTestCase {
    /// Runs the demo's binary with `arguments` and `environment`, in a folder of its own (it opens its database there).
    private func demo(_ arguments: [String], environment: [String: String]) throws -> DemoCommand.Finished {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try DemoCommand.run(arguments, environment: environment, in: folder)
    }

    func testDemoDispatchesFromTheCommandLineAndPrintsTheRun() async throws {
        let fake = try await GitHubFakeServer.start()
        try await fake.configureShop()
        let finished = try demo(
            [
                "hookflow", "github", "dispatch", "--repo", "acme/shop", "--workflow", "deploy.yml", "--ref", "release",
                "--input", "environment=staging", "--input", "version=2.1.0",
            ],
            environment: ["GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_test", "GITHUB_API_URL": fake.baseURL])
        XCTAssertEqual(finished.status, 0, finished.output + finished.errors)

        let runs = try await fake.control("runs").arrayValue ?? []
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run["inputs"], ["environment": "staging", "version": "2.1.0"])
        XCTAssertEqual(run["head_branch"], "release")
        XCTAssertEqual(
            finished.output, "run_id: \(run["id"].intValue ?? 0)\nurl: \(run["html_url"].stringValue ?? "")\n")
        let violations = try await fake.violations()
        XCTAssertEqual(violations, [])
        try await fake.stop()
    }

    func testAnInputThatIsNotKeyEqualsValueFailsWithExitCode1BeforeAnyRequest() async throws {
        let fake = try await GitHubFakeServer.start()
        try await fake.configureShop()
        let before = try await fake.requests().count
        let finished = try demo(
            ["hookflow", "github", "dispatch", "--repo", "acme/shop", "--workflow", "deploy.yml", "--input", "version"],
            environment: ["GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_test", "GITHUB_API_URL": fake.baseURL])
        XCTAssertEqual(finished.status, 1)
        XCTAssertTrue(finished.errors.contains("--input: must be key=value, got 'version'"), finished.errors)
        XCTAssertEqual(finished.output, "")
        let after = try await fake.requests().count
        XCTAssertEqual(after, before, "a request was sent for a command line that is wrong")
        try await fake.stop()
    }

    func testMissingCredentialsNameTheEnvironmentVariable() throws {
        let finished = try demo(["hookflow", "github", "dispatch", "--repo", "acme/shop", "--workflow", "deploy.yml"], environment: [:])
        XCTAssertEqual(finished.status, 1)
        XCTAssertTrue(finished.errors.contains("GITHUB_PERSONAL_ACCESS_TOKEN: not set"), finished.errors)
    }
}
