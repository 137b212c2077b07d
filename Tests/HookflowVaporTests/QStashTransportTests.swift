import Foundation
import MetricsTestKit
import Hookflow
import HookflowQStash
import HookflowVapor
import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import QStashDevServer
import Vapor
import XCTVapor

/// Counts step bodies across deliveries.
final class StepCounts: Sendable {
    private let counts = NIOLockedValueBox<[String: Int]>([:])
    func hit(_ key: String) { counts.withLockedValue { $0[key, default: 0] += 1 } }
    subscript(key: String) -> Int { counts.withLockedValue { $0[key, default: 0] } }
}

struct Tally: Workflow {
    let counts: StepCounts
    func run(_ ctx: WorkflowContext<Int>) async throws -> Int {
        var total = 0
        for index in 0..<ctx.data {
            total += try await ctx.step.run("add-\(index)") { () -> Int in
                counts.hit("\(ctx.runID)-\(index)")
                return index
            }
        }
        return total
    }
}

/// One app that is both the QStash-compatible server and a Hookflow app on the QStash transport,
/// with its database (`app.sqlite`, unless `persistence` is off) in `folder`.
func makeQStashApp(
    persistence: Bool = true, folder: URL? = nil, register: (Application) throws -> Void
) async throws -> (Application, String) {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .critical
    let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-qstash-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try app.hookflow.use(database: .sqlite(path: folder.appendingPathComponent("app.sqlite").path))
    try app.hookflow.use(persistence: persistence)
    try register(app)
    try QStashDevServer.configure(app, configuration: .init(timeScale: 0.001))
    try app.hookflow.mountWebhooks(on: app)
    try app.hookflow.mountStatusAPI(on: app)
    app.http.server.configuration.hostname = "127.0.0.1"
    app.http.server.configuration.port = 0
    try await app.server.start()
    let base = "http://127.0.0.1:\(try XCTUnwrap(app.http.server.shared.localAddress?.port))"
    try app.hookflow.use(.qstash(QStashSettings(
        url: base, token: QStashDevConfiguration.developmentToken, signingKeys: .development, domain: base)))
    try await app.asyncBoot()
    return (app, base)
}

func stop(_ app: Application) async throws {
    await app.server.shutdown()
    try await app.asyncShutdown()
}

func deliveredCount(_ app: Application, _ base: String, state: String = "DELIVERED") async throws -> Int {
    let response = try await app.client.get(
        URI(string: base + "/v2/events"), headers: ["Authorization": "Bearer \(QStashDevConfiguration.developmentToken)"])
    struct Events: Decodable { struct Event: Decodable { var state: String }; var events: [Event] }
    return try response.content.decode(Events.self).events.filter { $0.state == state }.count
}

/// The count of events in `state` once it reaches `expected` (QStash records a delivery once its
/// answer is back, a moment after the run completed), or as it is after `within`.
func deliveredCount(
    _ app: Application, _ base: String, state: String = "DELIVERED", reaching expected: Int, within: Duration = .seconds(3)
) async throws -> Int {
    let deadline = ContinuousClock.now + within
    var count = try await deliveredCount(app, base, state: state)
    while count < expected, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
        count = try await deliveredCount(app, base, state: state)
    }
    return count
}

/// A wait whose event comes early, then two sleeps: three durable waits.
private struct WaitThenNaps: Workflow {
    static let id = "wait-then-naps"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        let approved = try await ctx.step.waitForEvent("approval", key: "go:\(ctx.runID)", as: Bool.self, timeout: .seconds(3))
        try await ctx.step.sleep("nap-1", for: .milliseconds(50))
        try await ctx.step.sleep("nap-2", for: .milliseconds(50))
        return approved ?? false
    }
}

/// Sleeps two seconds.
private struct NapTwoSeconds: Workflow {
    static let id = "nap-two-seconds"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.sleep("nap", for: .seconds(2))
        return true
    }
}

/// A sleep beside a wait whose event comes first: the sleep suspends again at the same wake time.
private struct NapBesideAWait: Workflow {
    static let id = "nap-beside-a-wait"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        async let nap: Void = ctx.step.sleep("nap", for: .seconds(2))
        async let approved = ctx.step.waitForEvent("go", key: "go:\(ctx.runID)", as: Bool.self, timeout: .seconds(30))
        let (_, approval) = try await (nap, approved)
        return approval ?? false
    }
}

final class QStashTransportTests: XCTestCase {
    func testAWakeUpCancelledForAnEventIsPublishedAgainWhenTheRunSleepsUntilTheSameTime() async throws {
        let (app, _) = try await makeQStashApp { $0.hookflow.register(NapBesideAWait()) }
        addTeardownBlock { try await stop(app) }
        let runID = try await app.hookflow.trigger(NapBesideAWait.self, input: [:])
        try await waitFor(runID, toBe: .sleeping, in: app)
        try await app.hookflow.engine.notify(key: "go:\(runID)", payload: true)
        // The event's message cancels the sleep's wake-up; the replay sleeps until the same time again.
        let done = try await waitFor(runID, toBe: .completed, in: app, timeout: .seconds(8))
        XCTAssertEqual(done.result, true)
    }

    func testARunIDOfAnyUnicodeTravelsThroughQStash() async throws {
        let counts = StepCounts()
        let (app, _) = try await makeQStashApp { $0.hookflow.register(Tally(counts: counts)) }
        addTeardownBlock { try await stop(app) }
        let runID = WorkflowRunID("tab\tand\u{1}control-é-🚀")
        try await app.hookflow.trigger(Tally.self, input: 2, runID: runID)
        let done = try await waitFor(runID, toBe: .completed, in: app)
        XCTAssertEqual(done.result, 1)
    }

    func testTheSweeperRepublishesARunWhoseWakeUpQStashGaveUpOn() async throws {
        let (app, base) = try await makeQStashApp { $0.hookflow.register(NapTwoSeconds()) }
        addTeardownBlock { try await stop(app) }
        let runID = try await app.hookflow.trigger(NapTwoSeconds.self, input: [:])
        try await waitFor(runID, toBe: .sleeping, in: app)
        // QStash loses the wake-up (its retries ended in its dead letter queue): cancel every pending message.
        let auth: HTTPHeaders = ["Authorization": "Bearer \(QStashDevConfiguration.developmentToken)"]
        struct Events: Decodable { struct Event: Decodable { var state: String; var messageId: String }; var events: [Event] }
        // The wake-up is published just after the run is committed asleep: wait for it to be there.
        var created: [String] = []
        for _ in 0..<50 where created.isEmpty {
            let events = try await app.client.get(URI(string: base + "/v2/events"), headers: auth)
            created = try events.content.decode(Events.self).events.filter { $0.state == "CREATED" }.map(\.messageId)
            if created.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        XCTAssertFalse(created.isEmpty, "the run's wake-up was never published")
        for id in created { _ = try await app.client.delete(URI(string: base + "/v2/messages/\(id)"), headers: auth) }
        try await Task.sleep(for: .milliseconds(2500))
        let stranded = try await app.hookflow.status(of: runID)
        XCTAssertEqual(stranded?.status, .sleeping, "the run woke without its message")

        let swept = try await app.hookflow.engine.sweepOverdueRuns(olderThan: .milliseconds(200))
        XCTAssertEqual(swept, [runID])
        let done = try await waitFor(runID, toBe: .completed, in: app)
        XCTAssertEqual(done.result, true)
    }

    func testDeliveriesPerRunAreOnePlusItsDurableWaitsWhenAnEventComesEarly() async throws {
        let (app, base) = try await makeQStashApp { $0.hookflow.register(WaitThenNaps()) }
        addTeardownBlock { try await stop(app) }
        let runID = try await app.hookflow.trigger(WaitThenNaps.self, input: [:])
        try await waitFor(runID, toBe: .sleeping, in: app)
        try await app.hookflow.engine.notify(key: "go:\(runID)", payload: true)
        let done = try await waitFor(runID, toBe: .completed, in: app)
        XCTAssertEqual(done.result, true)
        // Past the wait's timeout: its wake-up, superseded by the event, must not be delivered.
        try await Task.sleep(for: .seconds(4))
        let delivered = try await deliveredCount(app, base, reaching: 4)
        XCTAssertEqual(delivered, 4, "1 + 3 durable waits")
        let cancelled = try await deliveredCount(app, base, state: "CANCELED")
        XCTAssertEqual(cancelled, 1, "the timed-out wait's wake-up was not cancelled")
    }

    func testRunsCompleteThroughQStashWithOneMessagePerDurableWait() async throws {
        let (app, base) = try await makeQStashApp { $0.hookflow.register(Checkout()) ; $0.hookflow.register(Tally(counts: StepCounts())) }
        let withSleep = try await app.hookflow.trigger(Checkout.self, input: .init(cart: "q-1"))
        let done = try await waitFor(withSleep, toBe: .completed, in: app)
        XCTAssertEqual(done.result, ["cart": "q-1", "total": 1250])
        let afterSleep = try await deliveredCount(app, base, reaching: 2)
        XCTAssertEqual(afterSleep, 2, "a run with one sleep is one delivery to start and one to wake")

        let long = try await app.hookflow.trigger(Tally.self, input: 20)
        let tallied = try await waitFor(long, toBe: .completed, in: app)
        XCTAssertEqual(tallied.result, 190)
        let afterLong = try await deliveredCount(app, base, reaching: 3)
        XCTAssertEqual(afterLong, 3, "twenty steps without a wait took more than one delivery")
        try await stop(app)
    }

    func testATriggerRetriedWithTheSameRunIDPublishesOnce() async throws {
        let counts = StepCounts()
        let (app, base) = try await makeQStashApp { $0.hookflow.register(Tally(counts: counts)) }
        for _ in 0..<3 { try await app.hookflow.trigger(Tally.self, input: 2, runID: "once") }
        try await waitFor("once", toBe: .completed, in: app)
        try await Task.sleep(for: .milliseconds(200))
        let delivered = try await deliveredCount(app, base, reaching: 1)
        XCTAssertEqual(delivered, 1)
        XCTAssertEqual(counts["once-0"], 1)
        try await stop(app)
    }

    func testWebhookRefusesWhatQStashDidNotSendAsItIs() async throws {
        let counts = StepCounts()
        let metrics = TestMetrics()
        let (app, base) = try await makeQStashApp {
            $0.hookflow.register(Tally(counts: counts))
            try $0.hookflow.use(metrics: HookflowMetrics(factory: metrics))
        }
        let path = "/hookflow/workflow/tally/"
        let body = #"{"run_id":"nobody"}"#
        let signer = QStashSigner(key: QStashSigningKeys.development.current)
        func post(_ path: String, _ body: String, signature: String?) async throws -> XCTHTTPResponse {
            try await app.testable().sendRequest(.POST, path, headers: signature.map { ["Upstash-Signature": $0] } ?? [:],
                                                 body: ByteBuffer(string: body))
        }
        let unsigned = try await post(path, body, signature: nil)
        XCTAssertEqual(unsigned.status, .unauthorized)
        let forOtherBody = try await signer.sign(body: Data(#"{"run_id":"other"}"#.utf8), url: base + path)
        let tampered = try await post(path, body, signature: forOtherBody)
        XCTAssertEqual(tampered.status, .unauthorized)
        let forOtherURL = try await signer.sign(body: Data(body.utf8), url: "http://evil.example.com" + path)
        let misdirected = try await post(path, body, signature: forOtherURL)
        XCTAssertEqual(misdirected.status, .unauthorized)
        XCTAssertFalse(unsigned.body.string.contains("Upstash-Signature"), "the refusal explains itself to the caller")

        let malformed = "not json"
        let malformedSigned = try await signer.sign(body: Data(malformed.utf8), url: base + path)
        let malformedResponse = try await post(path, malformed, signature: malformedSigned)
        XCTAssertEqual(malformedResponse.status, .badRequest)

        let unknownPath = "/hookflow/workflow/no-such-workflow/"
        let unknown = try await post(unknownPath, body, signature: try await signer.sign(body: Data(body.utf8), url: base + unknownPath))
        XCTAssertEqual(unknown.status.code, 489)
        XCTAssertEqual(unknown.headers.first(name: "Upstash-NonRetryable-Error"), "true")

        let huge = String(repeating: "x", count: 1024 * 1024 + 1)
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Upstash-Signature", value: try await signer.sign(body: Data(huge.utf8), url: base + path))
        request.body = .bytes(ByteBuffer(string: huge))
        let oversized = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        XCTAssertEqual(oversized.status, .payloadTooLarge)
        try await stop(app)
        let deliveries = "hookflow_qstash_deliveries_total"
        XCTAssertEqual(metrics.counterTotal(label: deliveries, dimensions: [("outcome", "refused")]), 4)
        XCTAssertEqual(metrics.counterTotal(label: deliveries, dimensions: [("outcome", "489")]), 1)
        XCTAssertEqual(metrics.counterTotal(label: deliveries, dimensions: [("outcome", "accepted")]), 0)
    }

    func testDuplicateDeliveriesAtOnceNeverRunACheckpointedStepTwice() async throws {
        let counts = StepCounts()
        let (app, base) = try await makeQStashApp { $0.hookflow.register(Tally(counts: counts)) }
        // A run stored without a publish, so that only the deliveries below invoke it.
        _ = try await app.hookflow.engine.store.createRun(runID: "twice", workflowID: "tally", input: "30", now: Date())
        let path = "/hookflow/workflow/tally/"
        let body = #"{"run_id":"twice"}"#
        let signature = try await QStashSigner(key: QStashSigningKeys.development.current).sign(body: Data(body.utf8), url: base + path)
        let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var request = HTTPClientRequest(url: base + path)
                    request.method = .POST
                    request.headers.add(name: "Upstash-Signature", value: signature)
                    request.body = .bytes(ByteBuffer(string: body))
                    return try await HTTPClient.shared.execute(request, timeout: .seconds(30)).status.code
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses, [200, 200, 200, 200])
        try await waitFor("twice", toBe: .completed, in: app)
        for index in 0..<30 { XCTAssertEqual(counts["twice-\(index)"], 1, "step \(index) ran \(counts["twice-\(index)"]) times") }
        try await stop(app)
    }
}
