import Foundation
import Hookflow
import HookflowQStash
@testable import HookflowVapor
import Vapor
import XCTVapor

final class ConfigurationTests: XCTestCase {
    private func error(_ environment: [String: String]) -> HookflowConfigurationError? {
        do {
            _ = try HookflowConfiguration.fromEnvironment(environment)
            return nil
        } catch {
            return error as? HookflowConfigurationError
        }
    }

    func testEnvironmentSettingsAreRead() throws {
        let configuration = try HookflowConfiguration.fromEnvironment([
            "HOOKFLOW_DATABASE_URL": "sqlite:///var/lib/app/flows.sqlite",
            "HOOKFLOW_WORKERS": "8",
            "HOOKFLOW_LEASE_SECONDS": "2.5",
            "HOOKFLOW_WEBHOOK_PATH": "/flows",
        ])
        XCTAssertEqual(configuration.database, .sqlite(path: "/var/lib/app/flows.sqlite"))
        XCTAssertEqual(configuration.transport, .local(workers: 8))
        XCTAssertEqual(configuration.leaseDuration, .milliseconds(2500))
        XCTAssertEqual(configuration.webhookPath, "/flows/")
        XCTAssertEqual(try HookflowConfiguration.fromEnvironment([:]), HookflowConfiguration())
        XCTAssertEqual(HookflowConfiguration().shutdownTimeout, .seconds(30))
        let patient = try HookflowConfiguration.fromEnvironment(["HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS": "2.5"])
        XCTAssertEqual(patient.shutdownTimeout, .milliseconds(2500))
        let graceful = try HookflowConfiguration.fromEnvironment(["HOOKFLOW_CANCELLATION_GRACE_SECONDS": "0.5"])
        XCTAssertEqual(graceful.cancellationGracePeriod, .milliseconds(500))
        XCTAssertEqual(HookflowConfiguration().cancellationGracePeriod, .seconds(30))
        XCTAssertEqual(HookflowConfiguration().maxChildDepth, 32)
        let shallow = try HookflowConfiguration.fromEnvironment(["HOOKFLOW_MAX_CHILD_DEPTH": "4"])
        XCTAssertEqual(shallow.maxChildDepth, 4)
        XCTAssertNil(HookflowConfiguration().retention, "runs are kept forever unless a retention is set")
        let kept = try HookflowConfiguration.fromEnvironment(["HOOKFLOW_RETENTION_DAYS": "30"])
        XCTAssertEqual(kept.retention, .seconds(30 * 86_400))
        let shared = try HookflowConfiguration.fromEnvironment(["HOOKFLOW_DATABASE_URL": "postgres://app:secret@db:5433/flows"])
        XCTAssertEqual(shared.database, .postgres(url: "postgres://app:secret@db:5433/flows"))
        XCTAssertEqual(
            shared.database.description, "postgres://app@db:5433/flows?sslmode=verify-full",
            "the password reached a description, or a server across the network is not verified by default")
        let local = try HookflowConfiguration.fromEnvironment(["HOOKFLOW_DATABASE_URL": "postgres://app@127.0.0.1/flows"])
        XCTAssertEqual(local.database.description, "postgres://app@127.0.0.1:5432/flows?sslmode=prefer")
        let chosen = try HookflowConfiguration.fromEnvironment(["HOOKFLOW_DATABASE_URL": "postgres://app@db/flows?sslmode=require"])
        XCTAssertEqual(chosen.database.description, "postgres://app@db:5432/flows?sslmode=require")
    }

    func testAppOnPostgreSQLRunsAWorkflowThroughItsOwnStore() async throws {
        guard let server = ProcessInfo.processInfo.environment["HOOKFLOW_TEST_POSTGRES_URL"] else {
            throw XCTSkip("no PostgreSQL: set HOOKFLOW_TEST_POSTGRES_URL, or run scripts/test, which starts one")
        }
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        try app.hookflow.use(database: .postgres(url: server))
        app.hookflow.register(Tally(counts: StepCounts()))
        try await app.asyncBoot()
        let runID = try await app.hookflow.trigger(Tally.self, input: 4)
        let done = try await waitFor(runID, toBe: .completed, in: app)
        XCTAssertEqual(done.result, 6)
        XCTAssertEqual(done.steps.count, 4)
        try await app.asyncShutdown()
    }

    func testInvalidSettingsNameTheSettingAndTheValue() {
        let transport = error(["HOOKFLOW_TRANSPORT": "kafka"])
        XCTAssertEqual(transport?.setting, "HOOKFLOW_TRANSPORT")
        XCTAssertTrue(transport?.message.contains("'kafka'") ?? false)
        XCTAssertEqual(error(["HOOKFLOW_WORKERS": "0"])?.setting, "HOOKFLOW_WORKERS")
        XCTAssertEqual(error(["HOOKFLOW_LEASE_SECONDS": "soon"])?.setting, "HOOKFLOW_LEASE_SECONDS")
        XCTAssertEqual(error(["HOOKFLOW_WEBHOOK_PATH": "hookflow"])?.setting, "HOOKFLOW_WEBHOOK_PATH")
        let shutdown = error(["HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS": "-1"])
        XCTAssertEqual(shutdown?.setting, "HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS")
        XCTAssertTrue(shutdown?.message.contains("'-1'") ?? false, shutdown?.message ?? "")
        let grace = error(["HOOKFLOW_CANCELLATION_GRACE_SECONDS": "later"])
        XCTAssertEqual(grace?.setting, "HOOKFLOW_CANCELLATION_GRACE_SECONDS")
        XCTAssertTrue(grace?.message.contains("'later'") ?? false, grace?.message ?? "")
        let depth = error(["HOOKFLOW_MAX_CHILD_DEPTH": "0"])
        XCTAssertEqual(depth?.setting, "HOOKFLOW_MAX_CHILD_DEPTH")
        XCTAssertTrue(depth?.message.contains("'0'") ?? false, depth?.message ?? "")
        let token = error(["HOOKFLOW_API_TOKEN": "short"])
        XCTAssertEqual(token?.setting, "HOOKFLOW_API_TOKEN")
        XCTAssertFalse(token?.message.contains("short") ?? true, "the error printed the token")
        let guarded = try? HookflowConfiguration.fromEnvironment(["HOOKFLOW_API_TOKEN": "0123456789abcdef"])
        XCTAssertEqual(guarded?.apiToken?.value, "0123456789abcdef")
        XCTAssertFalse("\(String(describing: guarded))".contains("0123456789abcdef"), "the configuration printed the token")
        for days in ["0", "a month", "-3"] {
            let retention = error(["HOOKFLOW_RETENTION_DAYS": days])
            XCTAssertEqual(retention?.setting, "HOOKFLOW_RETENTION_DAYS")
            XCTAssertTrue(retention?.message.contains("'\(days)'") ?? false, retention?.message ?? "")
        }
        let database = error(["HOOKFLOW_DATABASE_URL": "mysql://db/flows"])
        XCTAssertEqual(database?.setting, "HOOKFLOW_DATABASE_URL")
        XCTAssertTrue(database?.message.contains("'mysql'") ?? false, database?.message ?? "")
        let noUser = error(["HOOKFLOW_DATABASE_URL": "postgres://:secret@db/flows"])
        XCTAssertEqual(noUser?.setting, "HOOKFLOW_DATABASE_URL")
        XCTAssertFalse(noUser?.description.contains("secret") ?? true)
        XCTAssertEqual(error(["HOOKFLOW_DATABASE_URL": "postgres://u@db/flows?sslmode=sometimes"])?.setting, "HOOKFLOW_DATABASE_URL")
    }

    func testQStashTransportFailsClosedNamingTheMissingSetting() throws {
        let complete = [
            "HOOKFLOW_TRANSPORT": "qstash", "QSTASH_TOKEN": "eyJzZWNyZXRUb2tlbiI6MX0=", "HOOKFLOW_DOMAIN": "https://app.example.com",
            "QSTASH_CURRENT_SIGNING_KEY": "sig_3nR8kQpZ2vLmW9xTcY4bHf7Jd1Ga",
            "QSTASH_NEXT_SIGNING_KEY": "sig_6tV2mXq8LpR4wZ9nKc3YbJ7Hd5Fs",
        ]
        // The development server's public keys cannot guard a public https address.
        let development = complete.merging(["QSTASH_CURRENT_SIGNING_KEY": QStashSigningKeys.development.current]) { $1 }
        let refused = error(development)
        XCTAssertEqual(refused?.setting, "QSTASH_CURRENT_SIGNING_KEY")
        XCTAssertTrue(refused?.message.contains("local development server") == true, "\(String(describing: refused))")
        XCTAssertNil(error(development.merging(["HOOKFLOW_DOMAIN": "http://127.0.0.1:8080"]) { $1 }))
        XCTAssertEqual(
            error(complete.merging(["HOOKFLOW_SWEEP_INTERVAL_SECONDS": "0.1"]) { $1 })?.setting, "HOOKFLOW_SWEEP_INTERVAL_SECONDS")
        for missing in ["QSTASH_TOKEN", "QSTASH_CURRENT_SIGNING_KEY", "QSTASH_NEXT_SIGNING_KEY", "HOOKFLOW_DOMAIN"] {
            XCTAssertEqual(error(complete.filter { $0.key != missing })?.setting, missing)
        }
        XCTAssertEqual(error(complete.merging(["QSTASH_NEXT_SIGNING_KEY": "sig_short"]) { $1 })?.setting, "QSTASH_NEXT_SIGNING_KEY")
        XCTAssertEqual(error(complete.merging(["HOOKFLOW_DOMAIN": "app.example.com"]) { $1 })?.setting, "HOOKFLOW_DOMAIN")
        XCTAssertEqual(error(complete.merging(["HOOKFLOW_INVOCATION_BUDGET_SECONDS": "0"]) { $1 })?.setting, "HOOKFLOW_INVOCATION_BUDGET_SECONDS")

        let configuration = try HookflowConfiguration.fromEnvironment(complete.merging(["HOOKFLOW_DOMAIN": "https://app.example.com/"]) { $1 })
        guard case .qstash(let settings) = configuration.transport.kind else { return XCTFail("not qstash") }
        XCTAssertEqual(settings.domain, "https://app.example.com")
        XCTAssertEqual(settings.url, "https://qstash.upstash.io")
        XCTAssertEqual(settings.invocationBudget, .seconds(30))
        XCTAssertFalse("\(configuration.transport)".contains("eyJzZWNyZXRUb2tlbiI6MX0="), "the token reached a description")
        XCTAssertFalse("\(settings)".contains(settings.signingKeys.current))
    }

    func testMisconfigurationFailsAtBoot() async throws {
        setenv("HOOKFLOW_WORKERS", "many", 1)
        defer { unsetenv("HOOKFLOW_WORKERS") }
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        app.hookflow.register(Checkout())
        do {
            try await app.asyncBoot()
            XCTFail("the app booted with HOOKFLOW_WORKERS=many")
        } catch let error as HookflowConfigurationError {
            XCTAssertEqual(error.setting, "HOOKFLOW_WORKERS")
        }
        try await app.asyncShutdown()
    }

    func testAWrongRouteSettingFailsWhenTheRoutesAreMountedNamingTheVariable() async throws {
        setenv("HOOKFLOW_MAX_PAYLOAD_SIZE", "lots", 1)
        defer { unsetenv("HOOKFLOW_MAX_PAYLOAD_SIZE") }
        let app = try await Application.make(.testing)
        XCTAssertThrowsError(try app.hookflow.mountWebhooks(on: app)) {
            XCTAssertEqual(($0 as? HookflowConfigurationError)?.setting, "HOOKFLOW_MAX_PAYLOAD_SIZE")
        }
        try await app.asyncShutdown()
    }

    func testRoutesAndRuntimeUseTheEnvironmentAsReadOnce() async throws {
        setenv("HOOKFLOW_WEBHOOK_PATH", "/flows", 1)
        let app = try await makeApp { app in
            try app.hookflow.mountStatusAPI(on: app)
            // Read already: a later change does not split the routes from the runtime.
            setenv("HOOKFLOW_WEBHOOK_PATH", "/elsewhere", 1)
        }
        unsetenv("HOOKFLOW_WEBHOOK_PATH")
        XCTAssertEqual(app.hookflow.configuration?.webhookPath, "/flows/")
        let found = try await app.testable().sendRequest(.GET, "/flows/api/runs/none").status
        XCTAssertEqual(found, .notFound)
        let routes = app.routes.all.map { "/" + $0.path.map(\.description).joined(separator: "/") }
        XCTAssertEqual(routes, ["/flows/api/runs/:run_id"])
        try await app.asyncShutdown()
    }

    func testCodeLevelConfigurationWinsOverTheEnvironment() async throws {
        setenv("HOOKFLOW_WORKERS", "3", 1)
        defer { unsetenv("HOOKFLOW_WORKERS") }
        let app = try await makeApp { app in
            try app.hookflow.use(.local(workers: 1))
        }
        XCTAssertEqual(app.hookflow.configuration?.transport, .local(workers: 1))
        try await app.asyncShutdown()
    }

    func testTriggerBeforeBootSaysHookflowHasNotStarted() async throws {
        let app = try await Application.make(.testing)
        app.hookflow.register(Checkout())
        do {
            try await app.hookflow.trigger(Checkout.self, input: .init(cart: "x"))
            XCTFail("a trigger before boot was accepted")
        } catch let error as HookflowConfigurationError {
            XCTAssertTrue(error.message.contains("has not started"), error.message)
        }
        try await app.asyncShutdown()
    }
}
