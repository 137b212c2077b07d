import Foundation

/// At most ``runs`` run starts per ``period``, spaced evenly: a run starts no sooner than
/// `period / runs` after the previous one of its scope, so no window of that length holds more.
///
/// ```swift
/// struct CallPartner: Workflow {
///     static let rateLimit: RateLimit? = RateLimit(runs: 100, per: .seconds(60))
///     static let rateLimitPerKey: RateLimit? = RateLimit(runs: 5, per: .seconds(60))
/// }
/// ```
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public var runs: Int
    public var period: Duration

    public init(runs: Int, per period: Duration) {
        self.runs = runs
        self.period = period
    }

    /// The least time between two starts of a scope.
    public var spacing: Double { HookflowTime.seconds(of: period) / Double(max(runs, 1)) }

    /// `5 per 60.0 s`.
    public var description: String { "\(runs) per \(HookflowTime.seconds(of: period)) s" }

    /// Throws ``InvalidParameterError`` naming `parameter` when the count or the period is not positive.
    public func validate(as parameter: String) throws {
        guard runs >= 1 else {
            throw InvalidParameterError(parameter: "\(parameter).runs", value: "\(runs)", reason: "must be at least 1")
        }
        guard period > .zero else {
            throw InvalidParameterError(parameter: "\(parameter).period", value: "\(period)", reason: "must be positive")
        }
    }
}

/// A scope whose run starts a rate limit spaces, and the limit.
public struct RateScope: Sendable, Hashable {
    /// `workflow:<id>` or `key:<id>:<key>`.
    public var name: String
    public var limit: RateLimit

    public init(name: String, limit: RateLimit) {
        self.name = name
        self.limit = limit
    }
}

extension RegisteredWorkflow {
    /// The rate scopes of a run of this workflow triggered with `key`.
    func rateScopes(key: String?) -> [RateScope] {
        (rateLimit.map { [RateScope(name: "workflow:\(id)", limit: $0)] } ?? [])
            + (key.flatMap { key in rateLimitPerKey.map { RateScope(name: "key:\(id):\(key)", limit: $0) } }.map { [$0] } ?? [])
    }
}
