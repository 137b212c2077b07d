import Foundation
import Hookflow
import Vapor

/// The status API's view of a run; field names follow the original's example API.
public struct RunStatusResponse: Content, Sendable {
    public var runID: String
    public var workflowID: String
    public var status: RunStatus
    public var data: JSON
    public var result: JSON?
    public var errorMessage: String?
    public var wakeAt: String?
    public var createdAt: String
    public var completedAt: String?
    /// The run that started this one as its child, if one did.
    public var parentRunID: String?
    /// The run this one continues (it continued as new), if it does.
    public var continuedFrom: String?
    /// The schedule whose tick started the run, if one did.
    public var schedule: String?
    /// The tick of ``schedule`` that started the run.
    public var scheduledFor: String?
    /// The concurrency key given at its trigger, if any.
    public var concurrencyKey: String?
    /// Higher runs are claimed and admitted first.
    public var priority: Int
    /// The runs this one started as its children, newest first (at most
    /// ``WorkflowEngine/maximumPageSize``; the `parent_run_id` filter of the runs listing pages
    /// through all of them). Not encoded in a listing of runs.
    public var children: [String]
    /// The steps, in execution order (a page of them: see ``nextStepsCursor``); empty, and not
    /// encoded, in a listing of runs.
    public var steps: [Step]
    /// Where the next page of ``steps`` starts (``StepCursor/encoded``: the `steps_cursor` of
    /// the next request), or `nil` on the last page. Not encoded in a listing of runs.
    public var nextStepsCursor: String?
    /// Whether ``steps`` are part of the answer (not in a listing of runs).
    var includesSteps = true

    /// One step, in execution order.
    public struct Step: Content, Sendable {
        public var stepID: String
        public var kind: StepKind
        public var status: StepStatus
        public var result: JSON?
        public var errorMessage: String?
        public var attempts: Int
        public var wakeAt: String?
        /// When its latest attempt began; `nil` for a step recorded before this was kept.
        public var startedAt: String?
        public var executedAt: String

        enum CodingKeys: String, CodingKey {
            case stepID = "step_id", kind, status, result, errorMessage = "error_message", attempts
            case wakeAt = "wake_at", startedAt = "started_at", executedAt = "executed_at"
        }

        /// Absent values are written as `null`, so every documented field is always there.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(stepID, forKey: .stepID)
            try container.encode(kind, forKey: .kind)
            try container.encode(status, forKey: .status)
            try container.encode(result, forKey: .result)
            try container.encode(errorMessage, forKey: .errorMessage)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(wakeAt, forKey: .wakeAt)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(executedAt, forKey: .executedAt)
        }
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", workflowID = "workflow_id", status, data, result, errorMessage = "error_message"
        case wakeAt = "wake_at", createdAt = "created_at", completedAt = "completed_at", steps
        case nextStepsCursor = "next_steps_cursor", parentRunID = "parent_run_id", children
        case continuedFrom = "continued_from", schedule, scheduledFor = "scheduled_for"
        case concurrencyKey = "concurrency_key", priority
    }

    /// Absent values are written as `null`, so every documented field is always there.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(workflowID, forKey: .workflowID)
        try container.encode(status, forKey: .status)
        try container.encode(data, forKey: .data)
        try container.encode(result, forKey: .result)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encode(wakeAt, forKey: .wakeAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(completedAt, forKey: .completedAt)
        try container.encode(parentRunID, forKey: .parentRunID)
        try container.encode(continuedFrom, forKey: .continuedFrom)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(scheduledFor, forKey: .scheduledFor)
        try container.encode(concurrencyKey, forKey: .concurrencyKey)
        try container.encode(priority, forKey: .priority)
        if includesSteps {
            try container.encode(children, forKey: .children)
            try container.encode(steps, forKey: .steps)
            try container.encode(nextStepsCursor, forKey: .nextStepsCursor)
        }
    }

    /// `run` with a page of its steps and its children, or without either when `steps` is `nil` (a listing).
    init(run: RunRecord, steps: StepPage?, children: [RunRecord] = []) {
        parentRunID = run.parent?.runID.rawValue
        continuedFrom = run.continuedFrom?.rawValue
        schedule = run.scheduledBy?.name
        scheduledFor = run.scheduledBy.map { Self.timestamp($0.tick) }
        concurrencyKey = run.flow.concurrencyKey
        priority = run.flow.priority
        self.children = children.map(\.runID.rawValue)
        runID = run.runID.rawValue
        workflowID = run.workflowID
        status = run.status
        data = Self.json(run.input) ?? .null
        result = run.result.flatMap(Self.json)
        errorMessage = run.errorMessage
        wakeAt = run.wakeAt.map(Self.timestamp)
        createdAt = Self.timestamp(run.createdAt)
        completedAt = run.completedAt.map(Self.timestamp)
        includesSteps = steps != nil
        nextStepsCursor = steps?.next?.encoded
        self.steps = (steps?.steps ?? []).map { step in
            Step(
                stepID: step.stepID, kind: step.kind, status: step.status, result: step.result.flatMap(Self.json),
                errorMessage: step.errorMessage, attempts: step.attempts, wakeAt: step.wakeAt.map(Self.timestamp),
                startedAt: step.startedAt.map(Self.timestamp), executedAt: Self.timestamp(step.executedAt))
        }
    }

    private static func json(_ text: String) -> JSON? {
        try? JSONDecoder().decode(JSON.self, from: Data(text.utf8))
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
