/// A workflow run's `status`; values GitHub adds later are kept as they come.
public struct GitHubRunStatus: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let requested = Self(rawValue: "requested")
    public static let queued = Self(rawValue: "queued")
    public static let pending = Self(rawValue: "pending")
    public static let waiting = Self(rawValue: "waiting")
    public static let inProgress = Self(rawValue: "in_progress")
    public static let completed = Self(rawValue: "completed")

    public var description: String { rawValue }
}

/// How a completed run ended; values GitHub adds later are kept as they come.
public struct GitHubRunConclusion: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let success = Self(rawValue: "success")
    public static let failure = Self(rawValue: "failure")
    public static let cancelled = Self(rawValue: "cancelled")
    public static let timedOut = Self(rawValue: "timed_out")
    public static let skipped = Self(rawValue: "skipped")
    public static let neutral = Self(rawValue: "neutral")
    public static let actionRequired = Self(rawValue: "action_required")
    public static let stale = Self(rawValue: "stale")
    public static let startupFailure = Self(rawValue: "startup_failure")

    public var description: String { rawValue }
}
