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

    /// The workflow's body. Must reach the same steps in the same order when replayed.
    func run(_ ctx: WorkflowContext<Input>) async throws -> Output
}

extension Workflow {
    public static var id: String { WorkflowNaming.kebabCase(String(describing: Self.self)) }
    public static var retryPolicy: RetryPolicy { .default }
    public static var executionTimeout: Duration? { nil }
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
