import Foundation
import Hookflow
import HookflowFluent
import XCTest

/// Three processes fire one PostgreSQL database's one-second schedule while one of them is killed
/// with SIGKILL about every second and restarted: every tick runs exactly once.
final class ScheduleChaosTests: XCTestCase {
    func testThreeProcessesUnderRandomKillsRunEveryTickOfAOneSecondScheduleExactlyOnce() async throws {
        let database = try await createPostgresDatabase(on: try TestBackend.postgresServer())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-schedule-chaos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let seconds = 60
        let environment = [
            "CRASH_DB": database, "CRASH_LOG": folder.appendingPathComponent("executions.log").path,
            "CRASH_SCHEDULE_SECONDS": "\(seconds + 600)",
        ]
        let store = try await openRunningPostgresStore(url: database)
        var processes = try (0..<3).map { _ in try startCrashFixture(environment) }
        addTeardownBlock { for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var kills = 0
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(Int64.random(in: 700...1300)))
            let victim = Int.random(in: 0..<processes.count)
            if processes[victim].isRunning {
                kill(processes[victim].processIdentifier, SIGKILL)
                processes[victim].waitUntilExit()
                kills += 1
            }
            processes[victim] = try startCrashFixture(environment)
        }
        // The survivors catch up with the last ticks, then stop.
        try await Task.sleep(for: .seconds(3))
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        let stored = try await store.schedule(named: "chaos-tick")
        let schedule = try XCTUnwrap(stored)
        var runs: [RunRecord] = []
        var cursor: ListCursor?
        repeat {
            let page = try await store.listRuns(RunFilter(schedule: "chaos-tick"), after: cursor, limit: 1_000)
            runs += page.runs
            cursor = page.next
        } while cursor != nil
        try await store.close()

        let ticks = runs.compactMap { $0.scheduledBy?.tick }.sorted()
        XCTAssertEqual(ticks.count, runs.count)
        XCTAssertEqual(Set(ticks).count, ticks.count, "a tick ran twice")
        let first = try XCTUnwrap(ticks.first)
        let expected = Int(schedule.nextFireAt.timeIntervalSince(first).rounded())
        XCTAssertGreaterThanOrEqual(ticks.count, seconds, "\(ticks.count) ticks in \(seconds) s")
        XCTAssertEqual(ticks.count, expected, "from \(first) to \(schedule.nextFireAt), \(expected - ticks.count) ticks were skipped")
        let lateness = runs.map { $0.createdAt.timeIntervalSince($0.scheduledBy!.tick) }.sorted()
        let p99 = lateness[min(lateness.count - 1, Int(Double(lateness.count) * 0.99))]
        print("schedule chaos: \(ticks.count) ticks, each run once, \(kills) kills; lateness p50 \(lateness[lateness.count / 2]) s, p99 \(p99) s, max \(lateness.last!) s")
        XCTAssertLessThan(lateness.last!, 10, "a tick waited longer than a dead instance's lease and a restart")
    }
}
