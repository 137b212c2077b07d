import Foundation

/// How often a failing step is tried, and how long the run waits in between.
///
/// The wait is a durable timer: the run is suspended and holds no task.
///
/// ```swift
/// try await ctx.step.run("charge", retry: .exponential(maxAttempts: 5, initialDelay: .seconds(2))) { ... }
/// try await ctx.step.run("notify", retry: .never) { ... }
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first one included. `1` means no retry.
    public var maxAttempts: Int
    /// The wait after the first failed attempt.
    public var initialDelay: Duration
    /// The factor by which each further wait grows.
    public var backoffFactor: Double
    /// The longest single wait.
    public var maxDelay: Duration
    /// The fraction (0...1) of each wait that is randomised, so that failures do not retry in lockstep.
    public var jitter: Double

    public init(maxAttempts: Int, initialDelay: Duration, backoffFactor: Double, maxDelay: Duration, jitter: Double) {
        precondition(maxAttempts >= 1, "RetryPolicy.maxAttempts must be at least 1, got \(maxAttempts)")
        precondition((0...1).contains(jitter), "RetryPolicy.jitter must be within 0...1, got \(jitter)")
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.backoffFactor = backoffFactor
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// Exponential back-off with jitter.
    public static func exponential(
        maxAttempts: Int = 3,
        initialDelay: Duration = .seconds(1),
        backoffFactor: Double = 2,
        maxDelay: Duration = .seconds(300),
        jitter: Double = 0.2
    ) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: maxAttempts, initialDelay: initialDelay, backoffFactor: backoffFactor,
            maxDelay: maxDelay, jitter: jitter)
    }

    /// Three attempts, one second apart at first, doubling.
    public static let `default` = RetryPolicy.exponential()

    /// One attempt: the first failure fails the run.
    public static let never = RetryPolicy(
        maxAttempts: 1, initialDelay: .zero, backoffFactor: 1, maxDelay: .zero, jitter: 0)

    /// The wait after failed attempt number `attempt` (1-based), in seconds.
    public func delay(afterAttempt attempt: Int, randomUnit: Double = Double.random(in: 0..<1)) -> Double {
        backoff.seconds(afterFailures: attempt, randomUnit: randomUnit)
    }

    /// The waits between attempts.
    public var backoff: Backoff {
        Backoff(first: initialDelay, factor: backoffFactor, limit: maxDelay, jitter: jitter)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double { HookflowTime.seconds(of: self) }
}
