import Foundation

/// How a run waits its turn: the concurrency limits it counts against, the rate limits that space
/// its start, and its priority.
///
/// A run with a limit is admitted (pending) while fewer than the limit of the runs sharing its
/// scope are admitted and unfinished, and waits as ``RunStatus/queued`` otherwise; the transaction
/// that ends one admits the next in line. An admitted run holds its slot until it ends, through
/// its sleeps and waits.
public struct RunFlow: Sendable, Hashable {
    /// Runs that share this key (across workflows) count against ``keyLimit``.
    public var concurrencyKey: String?
    /// How many runs with ``concurrencyKey`` may be admitted and unfinished at once (1 when not given).
    public var keyLimit: Int?
    /// How many runs of the workflow may be admitted and unfinished at once (``Workflow/concurrency``).
    public var workflowLimit: Int?
    /// Higher runs first; see ``RunFlow/queueTime(createdAt:)`` for how waiting ages a run.
    public var priority: Int
    /// The rate limits its start counts against, taken when it is created (not stored with it).
    public var rates: [RateScope]

    /// No limit, priority 0.
    public static let unlimited = RunFlow()

    public init(
        concurrencyKey: String? = nil, keyLimit: Int? = nil, workflowLimit: Int? = nil, priority: Int = 0, rates: [RateScope] = []
    ) {
        self.rates = rates
        self.concurrencyKey = concurrencyKey
        self.keyLimit = concurrencyKey == nil ? nil : (keyLimit ?? 1)
        self.workflowLimit = workflowLimit
        self.priority = priority
    }

    /// Whether the run waits for a slot.
    public var isLimited: Bool { concurrencyKey != nil || workflowLimit != nil }

    /// How much waiting one point of priority is worth: a run of priority `p` is claimed and admitted
    /// as if it had been triggered `p` minutes earlier. Within a priority, runs go in order; a lower
    /// one waits at most this long per point of difference behind any later run (no starvation).
    public static let agingInterval: Duration = .seconds(60)

    /// The highest and lowest priorities.
    public static let priorities = -10_000...10_000

    /// The time a run's place in line is kept by: its creation, moved earlier by its priority.
    public func queueTime(createdAt: Date) -> Date {
        HookflowTime.date(createdAt, plusSeconds: -Double(priority) * HookflowTime.seconds(of: Self.agingInterval))
    }

    /// Throws ``InvalidParameterError`` naming a limit below 1, a priority out of range, or a bad key.
    public func validate() throws {
        if let key = concurrencyKey { try Identifier.validate(key, as: "concurrency key") }
        if let keyLimit, keyLimit < 1 {
            throw InvalidParameterError(parameter: "concurrencyPerKey", value: "\(keyLimit)", reason: "must be at least 1")
        }
        if let workflowLimit, workflowLimit < 1 {
            throw InvalidParameterError(parameter: "concurrency", value: "\(workflowLimit)", reason: "must be at least 1")
        }
        guard Self.priorities.contains(priority) else {
            throw InvalidParameterError(
                parameter: "priority", value: "\(priority)",
                reason: "must be from \(Self.priorities.lowerBound) to \(Self.priorities.upperBound)")
        }
    }
}
