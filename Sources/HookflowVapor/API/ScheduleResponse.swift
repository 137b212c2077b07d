import Foundation
import Hookflow

/// A schedule as the JSON API and the commands answer it.
struct ScheduleResponse: Encodable {
    var name: String
    var workflowID: String
    var cron: String?
    var timeZone: String?
    var everySeconds: Int64?
    var input: JSON
    var missedTicks: String
    var overlap: String
    var graceSeconds: Double
    var paused: Bool
    var nextFireAt: String
    /// The next fire times, from ``nextFireAt``.
    var upcoming: [String]
    var lastRunID: String?
    var createdAt: String
    var updatedAt: String

    /// How many fire times ``upcoming`` lists.
    static let upcomingCount = 5

    enum CodingKeys: String, CodingKey {
        case name, workflowID = "workflow_id", cron, timeZone = "time_zone", everySeconds = "every_seconds", input
        case missedTicks = "missed_ticks", overlap, graceSeconds = "grace_seconds", paused, nextFireAt = "next_fire_at"
        case upcoming, lastRunID = "last_run_id", createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ record: ScheduleRecord) {
        let schedule = record.schedule
        name = schedule.name
        workflowID = schedule.workflowID
        switch schedule.spec {
        case .cron(let expression, let zone):
            cron = expression.text
            timeZone = zone.identifier
        case .every(let seconds):
            everySeconds = seconds
        }
        input = (try? JSONDecoder().decode(JSON.self, from: Data(schedule.input.utf8))) ?? .null
        missedTicks = schedule.missedTicks.description
        overlap = schedule.overlap.rawValue
        graceSeconds = HookflowTime.seconds(of: schedule.gracePeriod)
        paused = record.paused
        nextFireAt = RunStatusResponse.timestamp(record.nextFireAt)
        upcoming = record.upcomingTicks(Self.upcomingCount).map(RunStatusResponse.timestamp)
        lastRunID = record.lastRunID?.rawValue
        createdAt = RunStatusResponse.timestamp(record.createdAt)
        updatedAt = RunStatusResponse.timestamp(record.updatedAt)
    }

    /// Absent values are written as `null`, so every documented field is always there.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(workflowID, forKey: .workflowID)
        try container.encode(cron, forKey: .cron)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(everySeconds, forKey: .everySeconds)
        try container.encode(input, forKey: .input)
        try container.encode(missedTicks, forKey: .missedTicks)
        try container.encode(overlap, forKey: .overlap)
        try container.encode(graceSeconds, forKey: .graceSeconds)
        try container.encode(paused, forKey: .paused)
        try container.encode(nextFireAt, forKey: .nextFireAt)
        try container.encode(upcoming, forKey: .upcoming)
        try container.encode(lastRunID, forKey: .lastRunID)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `GET …api/schedules`: every schedule, by name.
struct ScheduleListResponse: Encodable {
    var schedules: [ScheduleResponse]
}
