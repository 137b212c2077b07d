import Foundation
import Hookflow
import XCTest

/// The benchmark is not timed here: this runs every scenario at a tiny size and checks
/// that each completes and reports every field.
final class BenchSmokeTests: XCTestCase {
    func testEveryScenarioCompletesAndPrintsEveryField() throws {
        try TestBackend.requireSQLite()
        let process = Process()
        process.executableURL = try builtExecutable("hookflow-bench")
        process.arguments = ["--quick", "--json"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)

        let rows = try XCTUnwrap(try JSONDecoder().decode(JSON.self, from: data).arrayValue)
        let expected: [String: [String]] = [
            "checkpoint-floor": ["floor_us"],
            "steps": ["k", "concurrency", "steps_per_sec", "runs_per_sec", "step_overhead_us", "rss_mb"],
            "latency": ["p50_us", "p99_us", "max_us"],
            "long-run": ["ratio"],
            "sleepers": ["rss_mb", "idle_cpu_ms"],
            "wakeup": ["late_p50_ms", "late_p99_ms"],
            "operations": [
                "runs", "first_page_p99_ms", "filtered_p99_ms", "page_1000_p99_ms", "counts_p99_ms", "cleanup_runs",
                "checkpoint_during_cleanup_max_ms",
            ],
            "composition": [
                "sequential_ms", "fan_out_8_ratio", "fan_out_64_ratio", "child_overhead_ms", "children_in_one_run_each_ms",
                "continuation_ratio",
            ],
            "schedules": ["ticks", "tick_late_p50_ms", "tick_late_p99_ms", "first_step_late_p99_ms"],
            "limits": ["runs", "peak_queued", "unlimited_steps_per_sec", "limited_steps_per_sec", "ratio"],
            "long-history": ["first_wake_ms", "wake_p50_ms", "wake_max_ms", "max_to_first_ratio", "no_history_wake_p50_ms"],
        ]
        XCTAssertEqual(Set(rows.compactMap { $0["scenario"].stringValue }), Set(expected.keys))
        for row in rows {
            let scenario = try XCTUnwrap(row["scenario"].stringValue)
            for field in expected[scenario] ?? [] {
                XCTAssertFalse(row[field].isNull, "\(scenario) has no \(field): \(row)")
            }
            for (field, value) in row.objectValue ?? [:] where value.doubleValue != nil {
                XCTAssertGreaterThanOrEqual(value.doubleValue!, 0, "\(scenario).\(field) is negative")
            }
        }
        let steps = rows.filter { $0["scenario"] == "steps" }
        XCTAssertEqual(Set(steps.compactMap { $0["k"].intValue }), [1, 10, 100])
        XCTAssertEqual(steps.filter { $0["concurrency"] == "default" }.count, 3)
        XCTAssertEqual(steps.filter { $0["concurrency"] == 1 }.count, 3)
    }

    func testHelpListsTheOptions() throws {
        try TestBackend.requireSQLite()
        let process = Process()
        process.executableURL = try builtExecutable("hookflow-bench")
        process.arguments = ["--help"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for option in ["--json", "--quick", "--scenario", "--workers"] {
            XCTAssertTrue(text.contains(option), "--help does not list \(option)")
        }
    }
}

/// An executable of this package, built beside the test bundle (Linux) or beside its folder (macOS).
func builtExecutable(_ name: String) throws -> URL {
    let bundle = Bundle(for: BenchSmokeTests.self).bundleURL
    let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
    return try XCTUnwrap(
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
        "\(name) is not built beside the tests: \(candidates.map(\.path))")
}
