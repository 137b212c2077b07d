import Foundation
import Hookflow

/// The original's example: validate, wait for payment, charge, fulfil.
struct ProcessOrder: Workflow {
    struct Input: Codable, Sendable {
        var orderID: String
        enum CodingKeys: String, CodingKey { case orderID = "order_id" }
    }

    /// `POST /orders`: the order, and optionally a run id of the caller's (an idempotency key).
    struct Request: Codable, Sendable {
        var orderID: String
        var runID: String?
        enum CodingKeys: String, CodingKey { case orderID = "order_id", runID = "run_id" }
    }

    struct Output: Codable, Sendable {
        var status: String
        var chargeID: String
        var trackingNumber: String
        enum CodingKeys: String, CodingKey {
            case status, chargeID = "charge_id", trackingNumber = "tracking_number"
        }
    }

    let paymentWait: Duration
    let baseURL: @Sendable () -> String

    func run(_ ctx: WorkflowContext<Input>) async throws -> Output {
        let order = try await ctx.step.run("validate") {
            Order(orderID: ctx.data.orderID, amountCents: 1000 + ctx.data.orderID.utf8.reduce(0) { $0 + Int($1) })
        }
        try await ctx.step.sleep("wait-for-payment", for: paymentWait)
        let response = try await ctx.step.call(
            "charge", url: baseURL() + "/payments/charge", method: .POST, body: order)
        guard response.isSuccess else {
            throw NonRetryableError("payment refused with HTTP \(response.status): \(response.text ?? "")")
        }
        let charge = try response.decode(Charge.self)
        let tracking = try await ctx.step.run("fulfill") { "TRK-\(order.orderID)-\(charge.amountCents)" }
        return Output(status: "completed", chargeID: charge.chargeID, trackingNumber: tracking)
    }
}

struct Order: Codable, Sendable {
    var orderID: String
    var amountCents: Int
    enum CodingKeys: String, CodingKey { case orderID = "order_id", amountCents = "amount_cents" }
}

struct Charge: Codable, Sendable {
    var chargeID: String
    var amountCents: Int
    enum CodingKeys: String, CodingKey { case chargeID = "charge_id", amountCents = "amount_cents" }
}
