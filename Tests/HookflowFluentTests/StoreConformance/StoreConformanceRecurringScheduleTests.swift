import Foundation
import Hookflow
import XCTest

/// What every store keeps of schedules: definitions upserted in place, leases, pauses, runs stamped with their tick.
final class StoreConformanceRecurringScheduleTests: XCTestCase {
    private func every(_ seconds: Int64, _ name: String = "tick", input: String = "{}") throws -> Schedule {
        try Schedule(name: name, spec: .every(.seconds(seconds)), workflowID: "w", input: input)
    }

    func testSavingAScheduleAgainChangesItInPlaceAndKeepsItsNextFireTimeUnlessItsSpecChanged() async throws {
        let store = try await makeConformanceStore()
        let created = try await store.saveSchedule(try every(60), nextFireAt: t0 + 60, now: t0)
        XCTAssertEqual(created.nextFireAt, t0 + 60)
        XCTAssertFalse(created.paused)
        _ = try await store.setSchedulePaused("tick", paused: true, nextFireAt: t0 + 60, now: t0 + 1)

        let sameSpec = try await store.saveSchedule(try every(60, input: #"{"n":2}"#), nextFireAt: t0 + 120, now: t0 + 2)
        XCTAssertEqual(sameSpec.nextFireAt, t0 + 60, "an unchanged spec moved its next fire time")
        XCTAssertEqual(sameSpec.schedule.input, #"{"n":2}"#)
        XCTAssertTrue(sameSpec.paused, "a deploy resumed a paused schedule")
        XCTAssertEqual(sameSpec.createdAt, t0)
        XCTAssertEqual(sameSpec.updatedAt, t0 + 2)

        let newSpec = try await store.saveSchedule(
            try Schedule(
                name: "tick", spec: try .cron("*/5 * * * *", timeZone: "Europe/Paris"), workflowID: "w", input: "{}",
                missedTicks: .runAll(upTo: 3), overlap: .cancelPrevious, gracePeriod: .seconds(90)),
            nextFireAt: t0 + 300, now: t0 + 3)
        XCTAssertEqual(newSpec.nextFireAt, t0 + 300)
        let stored = try await store.schedule(named: "tick")
        XCTAssertEqual(stored, newSpec)
        XCTAssertEqual(stored?.schedule.spec, try .cron("*/5 * * * *", timeZone: "Europe/Paris"))
        XCTAssertEqual(stored?.schedule.missedTicks, .runAll(upTo: 3))
        XCTAssertEqual(stored?.schedule.overlap, .cancelPrevious)
        XCTAssertEqual(stored?.schedule.gracePeriod, .seconds(90))
        _ = try await store.saveSchedule(try every(10, "another"), nextFireAt: t0 + 10, now: t0)
        let names = try await store.schedules().map(\.schedule.name)
        XCTAssertEqual(names, ["another", "tick"])
    }

    func testOneHolderAtATimeLeasesADueScheduleUntilItAdvancesItOrTheLeaseRunsOut() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.saveSchedule(try every(60), nextFireAt: t0 + 60, now: t0)
        let early = try await store.leaseDueSchedule(owner: "a", leaseUntil: t0 + 40, now: t0 + 10)
        XCTAssertNil(early, "a schedule was leased before its tick")

        let leased = try await store.leaseDueSchedule(owner: "a", leaseUntil: t0 + 90, now: t0 + 60)
        XCTAssertEqual(leased?.schedule.name, "tick")
        let second = try await store.leaseDueSchedule(owner: "b", leaseUntil: t0 + 90, now: t0 + 61)
        XCTAssertNil(second, "a schedule was leased twice")
        let heldUntil = try await store.nextScheduleFireTime()
        XCTAssertEqual(heldUntil, t0 + 90, "a held schedule is next due when its lease runs out")
        let stolen = try await store.advanceSchedule("tick", owner: "b", nextFireAt: t0 + 120, lastRunID: "x", now: t0 + 61)
        XCTAssertFalse(stolen, "a schedule was advanced by an instance that does not hold it")

        let advanced = try await store.advanceSchedule("tick", owner: "a", nextFireAt: t0 + 120, lastRunID: "run-1", now: t0 + 62)
        XCTAssertTrue(advanced)
        let after = try await store.schedule(named: "tick")
        XCTAssertEqual(after?.nextFireAt, t0 + 120)
        XCTAssertEqual(after?.lastRunID, "run-1")
        let next = try await store.nextScheduleFireTime()
        XCTAssertEqual(next, t0 + 120)

        _ = try await store.leaseDueSchedule(owner: "a", leaseUntil: t0 + 150, now: t0 + 120)
        let takenOver = try await store.leaseDueSchedule(owner: "b", leaseUntil: t0 + 190, now: t0 + 151)
        XCTAssertEqual(takenOver?.schedule.name, "tick", "the schedule of a dead holder was not taken over")
        let late = try await store.advanceSchedule("tick", owner: "a", nextFireAt: t0 + 180, lastRunID: nil, now: t0 + 152)
        XCTAssertFalse(late, "a holder whose lease ran out still advanced the schedule")
        let kept = try await store.advanceSchedule("tick", owner: "b", nextFireAt: t0 + 180, lastRunID: nil, now: t0 + 152)
        XCTAssertTrue(kept)
        let last = try await store.schedule(named: "tick")
        XCTAssertEqual(last?.lastRunID, "run-1", "advancing without a run forgot the last run")
    }

    func testAPausedScheduleIsNotDueAndResumesAtTheFireTimeGiven() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.saveSchedule(try every(60), nextFireAt: t0 + 60, now: t0)
        let paused = try await store.setSchedulePaused("tick", paused: true, nextFireAt: t0 + 999, now: t0 + 1)
        XCTAssertEqual(paused?.paused, true)
        XCTAssertEqual(paused?.nextFireAt, t0 + 60, "pausing moved the next fire time")
        let none = try await store.nextScheduleFireTime()
        XCTAssertNil(none)
        let leased = try await store.leaseDueSchedule(owner: "a", leaseUntil: t0 + 400, now: t0 + 300)
        XCTAssertNil(leased, "a paused schedule was leased")
        let resumed = try await store.setSchedulePaused("tick", paused: false, nextFireAt: t0 + 360, now: t0 + 301)
        XCTAssertEqual(resumed?.paused, false)
        XCTAssertEqual(resumed?.nextFireAt, t0 + 360)
        let missing = try await store.setSchedulePaused("missing", paused: true, nextFireAt: t0, now: t0)
        XCTAssertNil(missing)
    }

    func testDeletingAScheduleKeepsTheRunsItStartedWhichNameTheirTick() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.saveSchedule(try every(60), nextFireAt: t0 + 60, now: t0)
        let tick = ScheduleTick(name: "tick", tick: t0 + 60)
        let created = try await store.createRun(
            runID: tick.runID, workflowID: "w", input: "{}", traceContext: nil, parent: nil, workflowVersion: 1, startAt: nil,
            scheduledBy: tick, flow: .unlimited, now: t0 + 60)
        XCTAssertTrue(created.created)
        _ = try await store.createRun(runID: "by-hand", workflowID: "w", input: "{}", now: t0 + 61)
        let run = try await store.run(tick.runID)
        XCTAssertEqual(run?.scheduledBy, tick)
        XCTAssertEqual(tick.runID.rawValue, "schedule:tick:2030-03-17T17:47:40Z")
        let listed = try await store.listRuns(RunFilter(schedule: "tick"), after: nil, limit: 10).runs.map(\.runID)
        XCTAssertEqual(listed, [tick.runID])

        let deleted = try await store.deleteSchedule(named: "tick")
        XCTAssertTrue(deleted)
        let again = try await store.deleteSchedule(named: "tick")
        XCTAssertFalse(again)
        let gone = try await store.schedule(named: "tick")
        XCTAssertNil(gone)
        let kept = try await store.run(tick.runID)
        XCTAssertEqual(kept?.scheduledBy, tick, "deleting a schedule lost its runs")
    }
}
