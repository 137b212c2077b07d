import Hookflow
import Vapor

/// `hookflow cleanup --days-old N [--dry-run] [--dlq-only] [--workflows-only]`, as django-hookflow's
/// `cleanup_workflows`: deletes finished runs and dead letters older than N days.
struct CleanupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "days-old", help: "Delete what finished (runs) or was written (dead letters) more than this many days ago")
        var daysOld: Double?

        @Flag(name: "dry-run", help: "Only count what would be deleted")
        var dryRun: Bool

        @Flag(name: "dlq-only", help: "Only dead letters")
        var deadLettersOnly: Bool

        @Flag(name: "workflows-only", help: "Only runs (with their steps); dead letters stay")
        var runsOnly: Bool
    }

    var help: String { "Delete finished runs and dead letters older than --days-old days" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let days = signature.daysOld, days >= 0, days.isFinite else {
            throw CommandFailure(description: "--days-old is required: a number of days, 0 or more")
        }
        guard !(signature.deadLettersOnly && signature.runsOnly) else {
            throw CommandFailure(description: "--dlq-only and --workflows-only exclude each other")
        }
        let scope: CleanupScope = signature.deadLettersOnly ? .deadLetters : signature.runsOnly ? .runs : .everything
        let report = try await CommandOutput.engine(context).cleanUp(
            olderThan: HookflowTime.duration(seconds: days * 86_400), scope: scope, dryRun: signature.dryRun)
        let verb = signature.dryRun ? "would delete" : "deleted"
        context.console.print("\(verb) \(report.runs) runs and \(report.deadLetters) dead letters older than \(days) days")
    }
}
