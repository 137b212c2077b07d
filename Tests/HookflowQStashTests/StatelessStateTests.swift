import Foundation
import Hookflow
import HookflowQStash
import XCTest

final class StatelessStateTests: XCTestCase {
    func testAStatelessRunCarriesItsTraceContextFromMessageToMessage() async throws {
        let sender = MessageStateStore()
        let context = #"{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}"#
        _ = try await sender.createRun(
            runID: "traced", workflowID: "checkout", input: "{}", traceContext: context, parent: nil, now: Date())
        let message = try JSONEncoder().encode(QStashInvocation(runID: "traced", state: sender.state(of: "traced")))
        XCTAssertTrue(String(decoding: message, as: UTF8.self).contains("trace_context"))

        let receiver = MessageStateStore()
        let delivered = try JSONDecoder().decode(QStashInvocation.self, from: message)
        receiver.load("traced", try XCTUnwrap(delivered.state))
        let run = try await receiver.run("traced")
        XCTAssertEqual(run?.traceContext, context, "the delivery's spans would start a trace of their own")
    }
}
