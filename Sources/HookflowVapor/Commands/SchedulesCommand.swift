import Foundation
import Hookflow
import Vapor

/// `hookflow schedules [--pause NAME] [--resume NAME] [--trigger NAME] [--delete NAME] [--json]`.
struct SchedulesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "pause", help: "Pause this schedule: it fires nothing until resumed")
        var pause: String?

        @Option(name: "resume", help: "Resume this schedule from its next tick (ticks while paused do not run)")
        var resume: String?

        @Option(name: "trigger", help: "Start a run of this schedule now, beside its ticks")
        var trigger: String?

        @Option(name: "delete", help: "Delete this schedule (the runs it started are kept)")
        var delete: String?

        @Flag(name: "json", help: "Print JSON instead of a table")
        var json: Bool
    }

    var help: String { "List, pause, resume, fire now or delete schedules" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let engine = try CommandOutput.engine(context)
        do {
            if let name = signature.pause {
                let record = try await engine.pauseSchedule(name)
                context.console.print("paused: \(record.schedule.name)")
            } else if let name = signature.resume {
                let record = try await engine.resumeSchedule(name)
                context.console.print("resumed: \(record.schedule.name), next at \(CommandOutput.time(record.nextFireAt))")
            } else if let name = signature.trigger {
                context.console.print("triggered: run \(try await engine.triggerSchedule(name)) is pending")
            } else if let name = signature.delete {
                try await engine.deleteSchedule(name)
                context.console.print("deleted: \(name)")
            } else {
                try await list(engine, context, json: signature.json)
            }
        } catch let error as ScheduleNotFoundError {
            throw CommandFailure(description: error.description)
        }
    }

    private func list(_ engine: WorkflowEngine, _ context: CommandContext, json: Bool) async throws {
        let records = try await engine.schedules()
        if json {
            context.console.print(try CommandOutput.json(records.map(ScheduleResponse.init)))
            return
        }
        let rows = records.map { record in
            [
                record.schedule.name, record.schedule.spec.description, record.schedule.workflowID,
                record.paused ? "paused" : "active", CommandOutput.time(record.nextFireAt), record.lastRunID?.rawValue ?? "-",
            ]
        }
        context.console.print(CommandOutput.table(["NAME", "SPEC", "WORKFLOW", "STATE", "NEXT", "LAST RUN"], rows))
    }
}
