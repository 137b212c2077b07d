import Foundation
import Vapor

/// `hookflow settings [--json]`, as django-hookflow's `hookflow_settings`: every Hookflow setting
/// the app resolved, with its variable and where its value came from (environment, code or
/// default), secrets redacted; whether each transport (and each module that reports its settings,
/// such as GitHub) is ready, and what it misses.
///
/// Under it Hookflow does not start and opens no database, and a wrong setting does not stop the
/// app's configuration, so that the command can list every wrong setting, not only the first.
/// It exits with status 1 when a setting in use is wrong: when the app would not start (or a
/// module in use would fail); a transport not in use may miss settings.
struct SettingsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "json", help: "Print one JSON object instead of a table")
        var json: Bool
    }

    var help: String { "Show the settings in force (secrets redacted) and what each transport misses" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = SettingsReport(environment: ProcessInfo.processInfo.environment, runtime: context.application.hookflow.runtime)
        context.console.print(try signature.json ? CommandOutput.json(SettingsResponse(report)) : report.text)
        guard report.problems.isEmpty else {
            throw CommandFailure(description: "wrong settings in use: \(report.problems.map(\.description).joined(separator: "; "))")
        }
    }
}
