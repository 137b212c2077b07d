import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// Three processes on one PostgreSQL database execute runs limited to 3 of the workflow and 1
/// per concurrency key at once: the recorded executions never pass either limit.
final class LimitChaosTests: XCTestCase {
    func testThreeProcessesNeverRunMoreThanTheWorkflowsOrAKeysLimitAtOnce() async throws {
        let database = try await createPostgresDatabase(on: try TestBackend.postgresServer())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("executions.log").path
        let runs = 60
        let environment = [
            "CRASH_DB": database, "CRASH_LOG": log, "CRASH_RUNS": "\(runs)", "CRASH_STEPS": "2", "CRASH_STEP_MS": "40",
            "CRASH_LIMITED": "1",
        ]
        let processes = try (0..<3).map { _ in try startCrashFixture(environment) }
        addTeardownBlock { for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let finished = try await eventually(timeout: .seconds(120)) { processes.allSatisfy { !$0.isRunning } }
        XCTAssertTrue(finished, "the fixtures did not finish")
        XCTAssertEqual(processes.map { $0.isRunning ? -1 : $0.terminationStatus }, [0, 0, 0], "a fixture crashed (a trigger failed)")

        // Each run's span: from its first step's start to its last step's end, and the process of each.
        var spans: [String: (start: Double, end: Double, pids: Set<String>)] = [:]
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            let (pid, run, time) = (fields[0], fields[1], Double(fields[5])!)
            var span = spans[run] ?? (time, time, [])
            span.start = min(span.start, time)
            span.end = max(span.end, time)
            span.pids.insert(pid)
            spans[run] = span
        }
        XCTAssertEqual(spans.count, runs, "not every run executed")
        XCTAssertGreaterThan(Set(spans.values.flatMap(\.pids)).count, 1, "one process executed every run")
        func highest(_ runs: [(start: Double, end: Double, pids: Set<String>)]) -> Int {
            let events = runs.flatMap { [($0.start, 1), ($0.end, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            var now = 0, top = 0
            for (_, change) in events {
                now += change
                top = max(top, now)
            }
            return top
        }
        let overall = highest(Array(spans.values))
        var perKey: [Int] = []
        for key in 0..<4 {
            perKey.append(highest(spans.filter { Int($0.key.dropFirst(4))! % 4 == key }.map(\.value)))
        }
        print("limits across 3 processes: at most \(overall) runs at once (limit 3), per key \(perKey) (limit 1)")
        XCTAssertLessThanOrEqual(overall, 3)
        XCTAssertEqual(overall, 3, "the workflow's 3 slots were never all used")
        XCTAssertEqual(perKey, [1, 1, 1, 1])
    }
}
