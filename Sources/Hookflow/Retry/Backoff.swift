import Foundation

/// Waits that grow by a factor after each failure in a row, up to a limit, with some jitter:
/// how a retried step waits (``RetryPolicy``) and how Hookflow's own loops back off (a worker
/// that cannot claim, a store that cannot be written, a lost database connection, a publish).
public struct Backoff: Sendable, Hashable {
    /// The wait after the first failure.
    public var first: Duration
    /// The factor by which each further wait grows.
    public var factor: Double
    /// The longest single wait.
    public var limit: Duration
    /// The fraction (0...1) of each wait that is randomised, so that failures do not retry in lockstep.
    public var jitter: Double

    public init(first: Duration, factor: Double = 2, limit: Duration, jitter: Double = 0) {
        self.first = first
        self.factor = factor
        self.limit = limit
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The wait after `failures` failures in a row (1 is the first), in seconds.
    public func seconds(afterFailures failures: Int, randomUnit: Double = Double.random(in: 0..<1)) -> Double {
        let base = first.seconds * pow(factor, Double(min(max(0, failures - 1), 1000)))
        let capped = min(base.isNaN ? 0 : base, limit.seconds)
        return max(0, capped * (1 - jitter) + capped * jitter * randomUnit)
    }

    /// The wait after `failures` failures in a row (1 is the first).
    public func delay(afterFailures failures: Int, randomUnit: Double = Double.random(in: 0..<1)) -> Duration {
        HookflowTime.duration(seconds: seconds(afterFailures: failures, randomUnit: randomUnit))
    }
}
