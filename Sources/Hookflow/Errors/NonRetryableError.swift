/// Throw from a step to fail the run at once, without the step's remaining retries.
///
/// ```swift
/// try await ctx.step.run("charge") {
///     guard card.isValid else { throw NonRetryableError("card \(card.last4) was declined") }
///     ...
/// }
/// ```
public struct NonRetryableError: Error, CustomStringConvertible {
    /// Why the step cannot succeed by trying again.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
