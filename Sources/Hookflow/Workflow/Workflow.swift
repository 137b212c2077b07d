/// A durable workflow: plain async Swift whose steps are checkpointed.
///
/// Each `ctx.step` call is recorded once; after a crash, a deploy or a durable
/// sleep the function runs again from the top, and recorded steps return their
/// stored results instead of running again.
///
/// ```swift
/// struct ProcessOrder: Workflow {
///     struct Input: Codable, Sendable { var orderID: String }
///     struct Output: Codable, Sendable { var shipped: Bool }
///
///     func run(_ ctx: WorkflowContext<Input>) async throws -> Output {
///         let order = try await ctx.step.run("validate") { try await validate(ctx.data.orderID) }
///         try await ctx.step.sleep("wait-for-payment", for: .seconds(60))
///         let shipped = try await ctx.step.run("fulfill") { try await fulfill(order) }
///         return Output(shipped: shipped)
///     }
/// }
/// ```
///
/// Use ``JSON`` as `Input` and `Output` for the untyped form, where
/// `ctx.data["order_id"]` reads the trigger's payload.
public protocol Workflow: Sendable {
    /// The payload given to ``WorkflowEngine/trigger(_:input:runID:)``.
    associatedtype Input: Codable & Sendable
    /// What a completed run returns; stored as the run's result.
    associatedtype Output: Codable & Sendable

    /// The stable name under which runs of this workflow are stored.
    ///
    /// Defaults to the type name in kebab case (`ProcessOrder` → `process-order`).
    /// Changing it orphans the runs stored under the old name.
    static var id: String { get }

    /// The retry policy of steps that do not set their own. Defaults to ``RetryPolicy/default``.
    static var retryPolicy: RetryPolicy { get }

    /// How long a run may take from its trigger to its end, sleeps and waits included; `nil` (the
    /// default) for no limit. A run past it fails as timed out, wherever it is (executing, asleep,
    /// waiting), and its children started with ``ParentCancellationPolicy/cascade`` are cancelled.
    static var executionTimeout: Duration? { get }

    /// The version of this code, stamped on each run it creates (1 by default). Raise it with a
    /// change that older code cannot replay, with ``supportedVersions``.
    static var version: Int { get }

    /// The versions of runs this code replays; by default every one up to ``version``. An
    /// instance claims only runs of these versions, so during a rolling deploy older instances
    /// leave newer runs alone, and newer ones may drop versions no run needs any more.
    static var supportedVersions: ClosedRange<Int> { get }

    /// How many runs of this workflow may be admitted and unfinished at once, across instances;
    /// `nil` (the default) for no limit. Runs beyond it wait as ``RunStatus/queued``, in order.
    static var concurrency: Int? { get }

    /// How many runs triggered with the same concurrency key (``WorkflowEngine/trigger(_:input:runID:ifExists:at:delay:concurrencyKey:priority:)``)
    /// may be admitted and unfinished at once; 1 by default.
    static var concurrencyPerKey: Int { get }

    /// At most so many runs of this workflow start per period, spaced evenly, across instances;
    /// `nil` (the default) for no limit. A run over it is created asleep until its turn.
    static var rateLimit: RateLimit? { get }

    /// The same, for the runs of this workflow triggered with the same concurrency key.
    static var rateLimitPerKey: RateLimit? { get }

    /// The workflow's body. Must reach the same steps in the same order when replayed.
    func run(_ ctx: WorkflowContext<Input>) async throws -> Output
}

extension Workflow {
    public static var id: String { WorkflowNaming.kebabCase(String(describing: Self.self)) }
    public static var retryPolicy: RetryPolicy { .default }
    public static var executionTimeout: Duration? { nil }
    public static var version: Int { 1 }
    public static var supportedVersions: ClosedRange<Int> { 1...version }
    public static var concurrency: Int? { nil }
    public static var concurrencyPerKey: Int { 1 }
    public static var rateLimit: RateLimit? { nil }
    public static var rateLimitPerKey: RateLimit? { nil }
}

enum WorkflowNaming {
    /// `ProcessOrder` → `process-order`, `HTTPSync` → `http-sync`.
    static func kebabCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && (next?.isLowercase ?? false)) {
                    result.append("-")
                }
            }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }
}
