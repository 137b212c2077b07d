// A process that runs workflows for the crash and chaos tests: it triggers CRASH_RUNS runs
// with fixed ids (idempotent, so every restart triggers the same runs), records the start
// and the end of each step body's execution in CRASH_LOG, and exits once every run has
// completed. CRASH_DB is an SQLite file, or a postgres:// URL shared by several processes.
// With CRASH_POISON=1 its one run is a poison pill, whose step kills the process. With
// CRASH_TRANSACTION=1 (SQLite) each step is a `ctx.step.transaction` that writes its token to
// the app's table `effects` beside its checkpoint. With CRASH_SCHEDULE_SECONDS=N it triggers no run:
// it declares the one-second schedule `chaos-tick` and fires it (with the other processes on the
// same database) for N seconds, then exits. With CRASH_LIMITED=1 its runs are of `limited-workflow`
// (at most 3 admitted at once, 1 per concurrency key), triggered with the key `key-<run % 4>`.
import FluentKit
import FluentSQLiteDriver
import Foundation
import Hookflow
import HookflowFluent
import Logging
import NIOPosix
import SQLKit

let environment = ProcessInfo.processInfo.environment
let databasePath = environment["CRASH_DB"]!
let logPath = environment["CRASH_LOG"]!
let runCount = Int(environment["CRASH_RUNS"] ?? "40")!
let stepCount = Int(environment["CRASH_STEPS"] ?? "5")!
let stepMilliseconds = Int(environment["CRASH_STEP_MS"] ?? "30")!
let pid = ProcessInfo.processInfo.processIdentifier

/// Appends a line when a step body starts and when it ends: `pid run step token START|END
/// seconds-since-1970`. O_APPEND writes of a short line are atomic, and the page cache
/// survives the process's SIGKILL.
let logDescriptor = open(logPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
func record(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(logDescriptor, $0.baseAddress, $0.count) }
}

struct CrashWorkflow: Workflow {
    static let id = "crash-workflow"
    let steps: Int
    let transactional: Bool

    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        try await Self.steps(ctx, count: steps, transactional: transactional)
    }
}

/// The crash workflow's steps under concurrency limits.
struct LimitedWorkflow: Workflow {
    static let id = "limited-workflow"
    static let concurrency: Int? = 3
    let steps: Int

    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        try await CrashWorkflow.steps(ctx, count: steps, transactional: false)
    }
}

extension CrashWorkflow {
    /// `count` steps, each recording the start and end of its body's execution.
    static func steps(_ ctx: WorkflowContext<JSON>, count steps: Int, transactional: Bool) async throws -> JSON {
        var tokens: [JSON] = []
        for index in 0..<steps {
            let token: String
            if transactional {
                token = try await ctx.step.transaction("step-\(index)") { db in
                    let token = "\(pid)-\(UUID().uuidString.prefix(8))"
                    record("\(pid) \(ctx.runID) step-\(index) \(token) START \(Date().timeIntervalSince1970)")
                    try await (db as! any SQLDatabase).raw("""
                        INSERT INTO effects (run_id, step_id, token) VALUES (\(bind: ctx.runID.rawValue), \(bind: "step-\(index)"), \(bind: token))
                        """).run()
                    try await Task.sleep(for: .milliseconds(stepMilliseconds))
                    return token
                }
            } else {
                token = try await ctx.step.run("step-\(index)") { () -> String in
                    let token = "\(pid)-\(UUID().uuidString.prefix(8))"
                    record("\(pid) \(ctx.runID) step-\(index) \(token) START \(Date().timeIntervalSince1970)")
                    try await Task.sleep(for: .milliseconds(stepMilliseconds))
                    record("\(pid) \(ctx.runID) step-\(index) \(token) END \(Date().timeIntervalSince1970)")
                    return token
                }
            }
            tokens.append(.string(token))
        }
        return .array(tokens)
    }
}

/// A step that takes its process down with it, every time.
struct PoisonWorkflow: Workflow {
    static let id = "poison-workflow"

    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        try await ctx.step.run("fine") { true }
        return try await ctx.step.run("poison") { () -> JSON in
            record("\(pid) \(ctx.runID) poison - START \(Date().timeIntervalSince1970)")
            kill(pid, SIGKILL)
            return .null
        }
    }
}

/// The one-step workflow of the `chaos-tick` schedule.
struct TickWorkflow: Workflow {
    static let id = "tick-workflow"

    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.run("tick") { true }
    }
}

let scheduleSeconds = environment["CRASH_SCHEDULE_SECONDS"].flatMap(Int.init)
let limited = environment["CRASH_LIMITED"] == "1"
let poison = environment["CRASH_POISON"] == "1"
let transactional = environment["CRASH_TRANSACTION"] == "1"
var logger = Logger(label: "crash-fixture")
logger.logLevel = .warning
let store: any WorkflowStore =
    databasePath.hasPrefix("postgres://")
    ? try await PostgresWorkflowStore.open(url: databasePath, operationTimeout: .seconds(5), logger: logger)
    : try await SQLiteWorkflowStore.open(path: databasePath, logger: logger)
var registry = WorkflowRegistry()
registry.register(CrashWorkflow(steps: stepCount, transactional: transactional))
registry.register(PoisonWorkflow())
registry.register(TickWorkflow())
registry.register(LimitedWorkflow(steps: stepCount))
let transport = LocalTransport(workers: 4)
var configuration = WorkflowEngine.Configuration(leaseDuration: .seconds(1), logger: logger)
// The app's own connection to the same file, which transaction steps write their effects through.
let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
if transactional {
    databases.use(.sqlite(.file(databasePath)), as: .sqlite)
    let app = databases.database(.sqlite, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    try await (app as! any SQLDatabase).execute(
        sql: SQLRaw("CREATE TABLE IF NOT EXISTS effects (run_id TEXT NOT NULL, step_id TEXT NOT NULL, token TEXT NOT NULL)")
    ) { _ in }.get()
    let appLogger = logger
    configuration.sharedDatabase = { databases.database(.sqlite, logger: appLogger, on: MultiThreadedEventLoopGroup.singleton.any())! }
}
let engine = WorkflowEngine(store: store, registry: registry, transport: transport, configuration: configuration)
let runIDs = scheduleSeconds != nil ? [] : poison ? [WorkflowRunID("poison")] : (0..<runCount).map { WorkflowRunID("run-\($0)") }
// The service runs the store's connections: the runs are triggered once it runs.
await withTaskGroup(of: Void.self) { group in
    group.addTask { await HookflowService(engine: engine).run() }
    group.addTask {
        for runID in runIDs {
            do {
                if limited {
                    let index = Int(runID.rawValue.dropFirst(4))!
                    try await engine.trigger(workflowID: LimitedWorkflow.id, data: [:], runID: runID, concurrencyKey: "key-\(index % 4)")
                } else {
                    try await engine.trigger(workflowID: poison ? PoisonWorkflow.id : CrashWorkflow.id, data: [:], runID: runID)
                }
            } catch {
                fatalError("could not trigger \(runID): \(error)")
            }
        }
        print("STARTED \(pid)")
        if let scheduleSeconds {
            do {
                try await engine.saveSchedule(
                    try Schedule("chaos-tick", every: .seconds(1), workflow: TickWorkflow.self, input: [:], overlap: .allow))
            } catch {
                fatalError("could not save the schedule: \(error)")
            }
            try? await Task.sleep(for: .seconds(scheduleSeconds))
        }
        // Runs finish roughly in order: stop counting at the first unfinished one.
        while true {
            var done = 0
            for runID in runIDs {
                let status = (try? await store.run(runID))?.status
                guard status == .completed || (poison && status == .failed) else { break }
                done += 1
            }
            if done == runIDs.count { break }
            try? await Task.sleep(for: .milliseconds(200))
        }
        engine.beginShutdown()
    }
}
try await store.close()
await databases.shutdownAsync()
print("ALL DONE")
