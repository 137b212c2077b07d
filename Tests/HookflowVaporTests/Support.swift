import Foundation
import Hookflow
import HookflowVapor
import NIOConcurrencyHelpers
import Vapor
import XCTVapor

/// A booted app with Hookflow on a temporary SQLite file.
func makeApp(_ configure: (Application) throws -> Void) async throws -> Application {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-vapor-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try app.hookflow.use(database: .sqlite(path: folder.appendingPathComponent("app.sqlite").path))
    try configure(app)
    try await app.asyncBoot()
    return app
}

/// Polls the app's status of a run until it reaches `status`.
@discardableResult
func waitFor(
    _ runID: WorkflowRunID, toBe status: RunStatus, in app: Application, timeout: Duration = .seconds(10),
    file: StaticString = #filePath, line: UInt = #line
) async throws -> RunStatusResponse {
    let deadline = ContinuousClock.now + timeout
    var last: RunStatusResponse?
    while ContinuousClock.now < deadline {
        last = try await app.hookflow.status(of: runID)
        if last?.status == status { return last! }
        try await Task.sleep(for: .milliseconds(20))
    }
    XCTFail("run \(runID) is \(String(describing: last?.status)), not \(status): \(String(describing: last?.errorMessage))", file: file, line: line)
    throw Abort(.requestTimeout)
}

/// Counts requests per path of the test server.
final class Hits: Sendable {
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    func hit(_ path: String) -> Int {
        counts.withLockedValue { counts in
            counts[path, default: 0] += 1
            return counts[path]!
        }
    }

    subscript(path: String) -> Int { counts.withLockedValue { $0[path, default: 0] } }
}
