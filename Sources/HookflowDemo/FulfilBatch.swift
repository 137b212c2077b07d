import Hookflow

/// `POST /batches`: one `process-order` child run per order, at most four unfinished at a time,
/// and the batch's result once every order is through.
struct FulfilBatch: Workflow {
    static let id = "fulfil-batch"

    struct Input: Codable, Sendable {
        var orders: [String]
    }

    struct Output: Codable, Sendable {
        var shipped: [ProcessOrder.Output]
    }

    func run(_ ctx: WorkflowContext<Input>) async throws -> Output {
        let shipped = try await ctx.step.invokeAll(
            "process-order", ProcessOrder.self, inputs: ctx.data.orders.map { .init(orderID: $0) }, concurrency: 4)
        return Output(shipped: shipped)
    }
}
