// A process that runs workflows for the crash test: it triggers CRASH_RUNS runs with
// fixed ids (idempotent, so every restart triggers the same runs), records each step
// body's execution in CRASH_LOG, and exits once every run has completed.
import Foundation
import Hookflow
import HookflowFluent
import Logging

let environment = ProcessInfo.processInfo.environment
let databasePath = environment["CRASH_DB"]!
let logPath = environment["CRASH_LOG"]!
let runCount = Int(environment["CRASH_RUNS"] ?? "40")!
let stepCount = Int(environment["CRASH_STEPS"] ?? "5")!
let pid = ProcessInfo.processInfo.processIdentifier

/// Appends one line per step execution: `pid run step token`. O_APPEND writes of a
/// short line are atomic, and the page cache survives the process's SIGKILL.
let logDescriptor = open(logPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
func record(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(logDescriptor, $0.baseAddress, $0.count) }
}

struct CrashWorkflow: Workflow {
    static let id = "crash-workflow"
    let steps: Int

    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        var tokens: [JSON] = []
        for index in 0..<steps {
            let token = try await ctx.step.run("step-\(index)") { () -> String in
                let token = "\(pid)-\(UUID().uuidString.prefix(8))"
                record("\(pid) \(ctx.runID) step-\(index) \(token)")
                try await Task.sleep(for: .milliseconds(30))
                return token
            }
            tokens.append(.string(token))
        }
        return .array(tokens)
    }
}

var logger = Logger(label: "crash-fixture")
logger.logLevel = .warning
let store = try await SQLiteWorkflowStore.open(path: databasePath, logger: logger)
var registry = WorkflowRegistry()
registry.register(CrashWorkflow(steps: stepCount))
let transport = LocalTransport(workers: 4)
let engine = WorkflowEngine(
    store: store, registry: registry, transport: transport,
    configuration: .init(leaseDuration: .seconds(1), logger: logger))
let runIDs = (0..<runCount).map { WorkflowRunID("run-\($0)") }
for runID in runIDs {
    try await engine.trigger(workflowID: CrashWorkflow.id, data: [:], runID: runID)
}
print("STARTED \(pid)")
await withTaskGroup(of: Void.self) { group in
    group.addTask { await transport.run(engine: engine) }
    group.addTask {
        while true {
            var done = 0
            for runID in runIDs where (try? await store.run(runID))?.status == .completed { done += 1 }
            if done == runIDs.count { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        transport.shutDown()
    }
}
try await store.close()
print("ALL DONE")
