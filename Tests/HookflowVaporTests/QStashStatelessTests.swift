import Foundation
import Hookflow
import HookflowQStash
import HookflowVapor
import NIOConcurrencyHelpers
import QStashDevServer
import Vapor
import XCTVapor

/// Records what a stateless run did, since there is no database to ask.
final class StatelessLog: Sendable {
    private let entries = NIOLockedValueBox<[String]>([])
    func add(_ entry: String) { entries.withLockedValue { $0.append(entry) } }
    var all: [String] { entries.withLockedValue { $0 } }
}

struct StatelessCheckout: Workflow {
    let log: StatelessLog
    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        let token = try await ctx.step.run("issue") { () -> String in
            log.add("issue")
            return UUID().uuidString
        }
        try await ctx.step.sleep("settle", for: .milliseconds(300))
        try await ctx.step.run("finish") { log.add("finish \(ctx.data) \(token)") }
        return token
    }
}

final class QStashStatelessTests: XCTestCase {
    func testStatelessRunCarriesItsStepsInTheMessageAndNeedsNoDatabase() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-stateless-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = StatelessLog()
        let (app, _) = try await makeQStashApp(persistence: false, folder: folder) { $0.hookflow.register(StatelessCheckout(log: log)) }
        try await app.hookflow.trigger(StatelessCheckout.self, input: "c-1")
        let deadline = ContinuousClock.now + .seconds(10)
        while log.all.count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }

        XCTAssertEqual(log.all.count, 2, "\(log.all)")
        XCTAssertEqual(log.all.first, "issue", "the step before the sleep ran again: its result did not travel")
        XCTAssertTrue(log.all.last?.hasPrefix("finish c-1 ") ?? false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("app.sqlite").path))
        try await stop(app)
    }

    func testARunThatOutgrowsTheMessageIsRefusedNamingItsSize() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-stateless-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (app, _) = try await makeQStashApp(persistence: false, folder: folder) { $0.hookflow.register(StatelessCheckout(log: StatelessLog())) }
        let huge = String(repeating: "x", count: 1024 * 1024)
        do {
            try await app.hookflow.trigger(StatelessCheckout.self, input: huge, runID: "too-big")
            XCTFail("a run larger than a message was published")
        } catch let error as StatelessPayloadTooLargeError {
            XCTAssertEqual(error.runID, "too-big")
            XCTAssertGreaterThan(error.size, 1024 * 1024)
            XCTAssertTrue(error.description.contains("maxPayloadSize"), error.description)
            XCTAssertFalse(error.description.contains("HOOKFLOW_"), "the core error names an environment variable")
            XCTAssertTrue(error.reason.contains("HOOKFLOW_MAX_PAYLOAD_SIZE"), "the Vapor layer does not name the variable")
            XCTAssertEqual(error.status, .payloadTooLarge)
        }
        try await stop(app)
    }

    func testStatelessModeNeedsTheQStashTransport() {
        XCTAssertThrowsError(try HookflowConfiguration.fromEnvironment(["HOOKFLOW_PERSISTENCE_ENABLED": "false"])) {
            XCTAssertEqual(($0 as? HookflowConfigurationError)?.setting, "HOOKFLOW_PERSISTENCE_ENABLED")
        }
    }
}
