import Foundation
import GitHubFake
import Hookflow
import XCTest

/// `hookflow-demo github dispatch`, run as a process against the GitHub fake.
final class GitHubCommandTests: XCTestCase {
    func testDemoDispatchesFromTheCommandLineAndPrintsTheRun() async throws {
        let fake = try await GitHubFakeServer.start()
        try await fake.configureShop()
        let bundle = Bundle(for: GitHubCommandTests.self).bundleURL
        let demo = try XCTUnwrap(
            [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("hookflow-demo") }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) })
        let process = Process()
        process.executableURL = demo
        process.arguments = [
            "github", "dispatch", "--repo", "acme/shop", "--workflow", "deploy.yml", "--ref", "release",
            "--input", "environment=staging", "--input", "version=2.1.0",
        ]
        process.environment = ["GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_test", "GITHUB_API_URL": fake.baseURL]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, printed)

        let runs = try await fake.control("runs").arrayValue ?? []
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run["inputs"], ["environment": "staging", "version": "2.1.0"])
        XCTAssertEqual(run["head_branch"], "release")
        XCTAssertEqual(
            printed, "run_id: \(run["id"].intValue ?? 0)\nurl: \(run["html_url"].stringValue ?? "")\n")
        let violations = try await fake.violations()
        XCTAssertEqual(violations, [])
        try await fake.stop()
    }
}
