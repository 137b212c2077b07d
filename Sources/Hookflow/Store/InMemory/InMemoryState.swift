import Foundation

/// What an ``InMemoryWorkflowStore`` holds, behind its lock.
struct InMemoryState {
    var runs: [WorkflowRunID: InMemoryRun] = [:]
    /// Each run's steps by step id.
    var steps: [WorkflowRunID: [String: StepRecord]] = [:]
    /// Events in delivery order.
    var events: [InMemoryEvent] = []
    /// Dead letters in the order they were written.
    var deadLetters: [DeadLetterRecord] = []
    /// Schedules by name, with their leases.
    var schedules: [String: InMemorySchedule] = [:]
    /// Each rate scope's next free start.
    var rateSlots: [String: Date] = [:]
    private var inserted = 0

    mutating func insert(_ record: RunRecord, now: Date) {
        inserted += 1
        var record = record
        record.updatedAt = now
        runs[record.runID] = InMemoryRun(record: record, owner: nil, order: inserted)
    }

    /// Leases `runID` to `owner` and counts the claim.
    mutating func claim(_ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date) -> RunRecord? {
        guard var stored = runs[runID] else { return nil }
        stored.owner = owner
        stored.updatedAt = now
        stored.record.status = .running
        stored.record.leaseUntil = leaseUntil
        stored.record.unfinishedInvocations += 1
        stored.record.historyVersion += 1
        runs[runID] = stored
        return stored.record
    }

    /// Writes `step`; a step written before keeps its kind and position.
    mutating func upsert(_ step: StepRecord, of runID: WorkflowRunID) {
        var written = step
        if let existing = steps[runID]?[step.stepID] {
            written.kind = existing.kind
            written.sequence = existing.sequence
        }
        steps[runID, default: [:]][step.stepID] = written
    }

    /// Records an event and makes due every sleeping run with a step waiting for `key`; returns those runs.
    mutating func deliver(key: String, payload: String, now: Date) -> [RunRecord] {
        events.append(InMemoryEvent(key: key, payload: payload, createdAt: now))
        var woken: [RunRecord] = []
        for (runID, stored) in runs where stored.record.status == .sleeping && waitingKeys(of: runID).contains(key) {
            runs[runID]?.record.wakeAt = now
            runs[runID]?.updatedAt = now
            woken.append(runs[runID]!.record)
        }
        return woken
    }

    /// A child run ended: the event that wakes its parent.
    mutating func childEnded(_ run: RunRecord, now: Date) {
        guard run.parent != nil else { return }
        _ = deliver(key: ChildRuns.eventKey(of: run.runID), payload: ChildRuns.eventPayload(run.status), now: now)
    }

    /// The keys of the events the run's waiting steps wait for.
    func waitingKeys(of runID: WorkflowRunID) -> [String] {
        (steps[runID] ?? [:]).values.compactMap { $0.status == .waiting ? $0.eventKey : nil }
    }

    /// The latest event under `key` still within its retention at `now`.
    func event(key: String, now: Date) -> String? {
        let oldest = EventRetention.oldestKept(at: now)
        return events.enumerated()
            .filter { $0.element.key == key && $0.element.createdAt >= oldest }
            .max { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }?.element.payload
    }
}

/// A run with what the store keeps beside its record: its lease's owner, its last write, and
/// its place in the order runs were created.
struct InMemoryRun {
    var record: RunRecord
    var owner: String?
    let order: Int
    /// The debounce key it waits to start under, and its deadline.
    var debounce: (key: String, deadline: Date?)? = nil

    var updatedAt: Date {
        get { record.updatedAt ?? record.createdAt }
        set { record.updatedAt = newValue }
    }

    /// Its place in line (``RunFlow/queueTime(createdAt:)``).
    var queueTime: Date { record.flow.queueTime(createdAt: record.createdAt) }

    /// Whether it holds a concurrency slot: admitted and unfinished.
    var holdsSlot: Bool { [.pending, .running, .sleeping].contains(record.status) }

    /// Ends the current invocation with the run in `status`: the lease and the wake time are released.
    mutating func end(as status: RunStatus) {
        record.status = status
        record.wakeAt = nil
        record.leaseUntil = nil
        record.unfinishedInvocations = 0
        owner = nil
    }
}

/// An event as delivered.
struct InMemoryEvent {
    let key: String
    let payload: String
    let createdAt: Date
}

/// A schedule with the lease of the instance firing it.
struct InMemorySchedule {
    var record: ScheduleRecord
    var owner: String?
    var leaseUntil: Date?
}
