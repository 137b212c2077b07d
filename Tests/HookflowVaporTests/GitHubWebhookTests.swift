import Foundation
import GitHubFake
import Hookflow
import HookflowGitHub
import HookflowGitHubVapor
import HookflowVapor
import NIOCore
import Vapor
import XCTVapor

/// Dispatches `deploy.yml` and waits for it; with webhooks configured, its polls are minutes apart.
struct ShipRelease: Workflow {
    static let id = "ship-release"
    let github: GitHubClient

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        let run = try await ctx.step.dispatchGitHubWorkflow(
            "dispatch", using: github, workflow: "deploy.yml", inputs: ["version": ctx.data])
        let outcome = try await ctx.step.waitForGitHubRun("finished", run, using: github, timeout: .seconds(3600))
        return outcome.conclusion?.rawValue ?? "none"
    }
}

final class GitHubWebhookTests: XCTestCase {
    static let secret = "It's a Secret to Everybody"
    private var fake: GitHubFakeServer!

    override func setUp() async throws {
        fake = try await GitHubFakeServer.start()
        try await fake.configureShop()
    }

    override func tearDown() async throws {
        let violations = try await fake.violations()
        XCTAssertEqual(violations, [], "requests, responses or webhooks broke the GitHub contract")
        try await fake.stop()
    }

    /// A Hookflow app with the local transport, GitHub pointed at the fake, listening on a free port.
    private func makeApp() async throws -> (Application, String) {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-gh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try app.hookflow.use(database: .sqlite(path: folder.appendingPathComponent("app.sqlite").path))
        app.hookflow.use(github: GitHubSettings(
            credentials: .token("ghp_test"), defaultRepository: try GitHubRepository("acme/shop"), apiURL: fake.baseURL,
            webhookSecret: Self.secret))
        app.hookflow.register(ShipRelease(github: try app.hookflow.github))
        try app.hookflow.mountGitHubWebhook(on: app)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start()
        try await app.asyncBoot()
        let base = "http://127.0.0.1:\(try XCTUnwrap(app.http.server.shared.localAddress?.port))"
        return (app, base)
    }

    private func stop(_ app: Application) async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    func testDispatchThenWaitIsWokenBySignedWebhook() async throws {
        let (app, base) = try await makeApp()
        let github = try app.hookflow.github
        XCTAssertTrue(github.configuration.receivesWebhooks)
        XCTAssertEqual(github.configuration.pollInterval, .seconds(300), "with webhooks, polls are a slow safety net")
        try await fake.control("webhooks", ["url": .string(base + "/hookflow/github/"), "secret": .string(Self.secret)])

        let runID = try await app.hookflow.trigger(ShipRelease.self, input: "3.0.0")
        let waiting = try await waitFor(runID, toBe: .sleeping, in: app)
        XCTAssertEqual(waiting.steps.last?.status, .waiting)
        let runs = try await fake.control("runs").arrayValue
        let githubRun = try XCTUnwrap(runs?.first?["id"].intValue)

        let started = try await fake.control("runs/\(githubRun)/advance", ["status": "in_progress"])
        XCTAssertEqual(started["deliveries"].arrayValue?.map { $0["status"] }, [202], "in_progress is not acted on")
        let sleeping = try await app.hookflow.status(of: runID)
        XCTAssertEqual(sleeping?.status, .sleeping)

        let completed = try await fake.control(
            "runs/\(githubRun)/advance", ["status": "completed", "conclusion": "failure"])
        XCTAssertEqual(completed["deliveries"].arrayValue?.map { $0["status"] }, [200])
        let done = try await waitFor(runID, toBe: .completed, in: app)
        XCTAssertEqual(done.result, "failure")

        // GitHub keeps the delivery id on a redelivery: the second one is recognised.
        let deliveryID = try XCTUnwrap(completed["deliveries"][0]["delivery_id"].stringValue)
        let redelivered = try await fake.control("webhooks/redeliver", ["delivery_id": .string(deliveryID)])
        XCTAssertEqual(redelivered["status"], 200)
        let deliveries = try await fake.control("deliveries").arrayValue ?? []
        let payload = try XCTUnwrap(deliveries.first { $0["delivery_id"].stringValue == deliveryID }?["payload"])
        let body = try JSONEncoder().encode(payload)
        let answer = try await app.client.post(URI(string: base + "/hookflow/github/")) { request in
            request.headers.add(name: "X-GitHub-Event", value: "workflow_run")
            request.headers.add(name: "X-GitHub-Delivery", value: deliveryID)
            request.headers.add(name: "X-Hub-Signature-256", value: GitHubWebhook(secret: Self.secret).signature(of: body))
            request.body = ByteBuffer(data: body)
        }
        XCTAssertEqual(try answer.content.decode([String: String].self)["status"], "duplicate")
        let dispatches = try await fake.requests().filter { $0["path"].stringValue?.hasSuffix("/dispatches") == true }
        XCTAssertEqual(dispatches.count, 1)
        try await stop(app)
    }

    func testWebhookRefusesWhatIsNotSignedByTheSecret() async throws {
        let (app, base) = try await makeApp()
        let webhook = GitHubWebhook(secret: Self.secret)
        let body = Data(#"{"action":"completed","workflow_run":{}}"#.utf8)
        func status(
            event: String = "workflow_run", signature: String?, body: Data = body
        ) async throws -> HTTPStatus {
            var headers: HTTPHeaders = ["X-GitHub-Event": event, "X-GitHub-Delivery": UUID().uuidString]
            if let signature { headers.add(name: "X-Hub-Signature-256", value: signature) }
            return try await app.client.post(URI(string: base + "/hookflow/github/"), headers: headers) {
                $0.body = ByteBuffer(data: body)
            }.status
        }
        let missing = try await status(signature: nil)
        XCTAssertEqual(missing, .unauthorized)
        let otherSecret = try await status(signature: GitHubWebhook(secret: "another secret").signature(of: body))
        XCTAssertEqual(otherSecret, .unauthorized)
        var altered = body
        altered[altered.count - 2] = UInt8(ascii: "]")
        let tampered = try await status(signature: webhook.signature(of: body), body: altered)
        XCTAssertEqual(tampered, .unauthorized)
        let sha1 = try await status(signature: "sha1=" + String(repeating: "0", count: 40))
        XCTAssertEqual(sha1, .unauthorized)
        let truncated = try await status(signature: String(webhook.signature(of: body).dropLast(2)))
        XCTAssertEqual(truncated, .unauthorized)

        let ping = Data(#"{"zen":"Keep it logically awesome.","hook_id":1}"#.utf8)
        let pong = try await status(event: "ping", signature: webhook.signature(of: ping), body: ping)
        XCTAssertEqual(pong, .ok)
        let unknown = try await status(event: "issues", signature: webhook.signature(of: body))
        XCTAssertEqual(unknown, .accepted)
        let malformed = try await status(signature: webhook.signature(of: body))
        XCTAssertEqual(malformed, .badRequest, "a signed workflow_run without a run must be refused as malformed")
        let huge = Data(repeating: UInt8(ascii: " "), count: 2 * 1024 * 1024)
        let oversized = try await status(signature: webhook.signature(of: huge), body: huge)
        XCTAssertEqual(oversized, .payloadTooLarge)
        try await stop(app)
    }
}
