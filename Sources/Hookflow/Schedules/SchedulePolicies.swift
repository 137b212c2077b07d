/// What a schedule does with ticks missed while no instance ran it (ticks older than its
/// ``Schedule/gracePeriod`` when it fires): a tick within the grace period always runs.
public enum MissedTickPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Missed ticks do not run.
    case skip
    /// The latest missed tick runs, once, unless a tick on time runs anyway.
    case runLatest
    /// The latest `upTo` missed ticks run, oldest first.
    case runAll(upTo: Int)

    /// `skip`, `latest` or `all:<n>`.
    public var description: String {
        switch self {
        case .skip: "skip"
        case .runLatest: "latest"
        case .runAll(let limit): "all:\(limit)"
        }
    }

    /// Reads ``description``; `nil` for other text.
    public init?(_ text: String) {
        switch text {
        case "skip": self = .skip
        case "latest": self = .runLatest
        default:
            guard text.hasPrefix("all:"), let limit = Int(text.dropFirst(4)), limit > 0 else { return nil }
            self = .runAll(upTo: limit)
        }
    }
}

/// What a schedule does when a tick comes while the run of its previous tick is still going.
public enum OverlapPolicy: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The tick does not run.
    case skip
    /// The tick runs beside the previous run.
    case allow
    /// The previous run is cancelled and the tick runs.
    case cancelPrevious = "cancel_previous"

    public var description: String { rawValue }
}
