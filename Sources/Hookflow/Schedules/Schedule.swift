import Foundation

/// A recurring start of a workflow: its name, when it fires, what it runs and what it does
/// with missed and overlapping ticks.
///
/// Each tick starts one run whose id is derived from the name and the tick
/// (``ScheduleTick/runID``), so a tick runs once however many instances fire it.
///
/// ```swift
/// let nightly = try Schedule(
///     "nightly-report", cron: "0 3 * * *", timeZone: "Europe/Paris", workflow: NightlyReport.self, input: .init())
/// try await engine.saveSchedule(nightly)
/// ```
public struct Schedule: Sendable, Hashable {
    /// Letters, digits, `-`, `_`, `.` and `:`, at most ``maximumNameLength`` characters.
    public let name: String
    public let spec: ScheduleSpec
    public let workflowID: String
    /// The input of every run, as JSON text.
    public let input: String
    public let missedTicks: MissedTickPolicy
    public let overlap: OverlapPolicy
    /// How late a tick may fire and still count as on time, not missed.
    public let gracePeriod: Duration

    /// The longest schedule name.
    public static let maximumNameLength = 200

    /// A schedule of the workflow registered as `workflowID`, its input as JSON text; throws
    /// ``InvalidParameterError`` naming a bad name, limit or grace period.
    public init(
        name: String, spec: ScheduleSpec, workflowID: String, input: String, missedTicks: MissedTickPolicy = .runLatest,
        overlap: OverlapPolicy = .skip, gracePeriod: Duration = .seconds(60)
    ) throws {
        try Self.validate(name: name)
        if case .runAll(let limit) = missedTicks, limit <= 0 {
            throw InvalidParameterError(parameter: "missedTicks", value: "\(limit)", reason: "must run at least 1 tick")
        }
        guard gracePeriod >= .zero else {
            throw InvalidParameterError(parameter: "gracePeriod", value: "\(gracePeriod)", reason: "must not be negative")
        }
        try Identifier.validate(workflowID, as: "workflow id")
        self.name = name
        self.spec = spec
        self.workflowID = workflowID
        self.input = input
        self.missedTicks = missedTicks
        self.overlap = overlap
        self.gracePeriod = gracePeriod
    }

    /// A cron schedule of `W`.
    public init<W: Workflow>(
        _ name: String, cron: String, timeZone: String = "UTC", workflow: W.Type, input: W.Input,
        missedTicks: MissedTickPolicy = .runLatest, overlap: OverlapPolicy = .skip, gracePeriod: Duration = .seconds(60)
    ) throws {
        try self.init(
            name: name, spec: try .cron(cron, timeZone: timeZone), workflowID: W.id, input: try JSONCoding.encode(input),
            missedTicks: missedTicks, overlap: overlap, gracePeriod: gracePeriod)
    }

    /// An interval schedule of `W`.
    public init<W: Workflow>(
        _ name: String, every interval: Duration, workflow: W.Type, input: W.Input,
        missedTicks: MissedTickPolicy = .runLatest, overlap: OverlapPolicy = .skip, gracePeriod: Duration = .seconds(60)
    ) throws {
        try self.init(
            name: name, spec: try .every(interval), workflowID: W.id, input: try JSONCoding.encode(input),
            missedTicks: missedTicks, overlap: overlap, gracePeriod: gracePeriod)
    }

    /// Throws ``InvalidParameterError`` unless `name` is a valid schedule name.
    public static func validate(name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.:".unicodeScalars.contains(scalar))
        }
        guard !name.isEmpty, name.count <= maximumNameLength, allowed else {
            throw InvalidParameterError(
                parameter: "name", value: name,
                reason: "must be 1 to \(maximumNameLength) letters, digits, '-', '_', '.' or ':'")
        }
    }
}

/// A schedule as stored, with its state.
public struct ScheduleRecord: Sendable, Hashable {
    public var schedule: Schedule
    /// A paused schedule fires nothing until resumed.
    public var paused: Bool
    /// The next tick to fire (the first not yet fired).
    public var nextFireAt: Date
    /// The run of the last tick fired, if any.
    public var lastRunID: WorkflowRunID?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        schedule: Schedule, paused: Bool = false, nextFireAt: Date, lastRunID: WorkflowRunID? = nil, createdAt: Date,
        updatedAt: Date
    ) {
        self.schedule = schedule
        self.paused = paused
        self.nextFireAt = nextFireAt
        self.lastRunID = lastRunID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The tick of a schedule that started a run.
public struct ScheduleTick: Sendable, Hashable {
    /// The schedule's name.
    public var name: String
    /// The time the tick was due.
    public var tick: Date

    public init(name: String, tick: Date) {
        self.name = name
        self.tick = tick
    }

    /// The id of the tick's run, `schedule:<name>:<tick in ISO 8601>`: the same on every instance,
    /// so a tick fired twice finds its run and starts no other.
    public var runID: WorkflowRunID {
        WorkflowRunID("schedule:\(name):\(Self.format(tick))")
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
