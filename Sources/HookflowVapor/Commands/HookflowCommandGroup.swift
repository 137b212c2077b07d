import Synchronization
import Vapor

/// `hookflow`: the app's Hookflow commands, run as `swift run App hookflow <command> …`.
///
/// `app.hookflow` registers the group with the app's commands once; modules and apps add
/// their subcommands to it, before the app runs:
///
/// ```swift
/// app.hookflow.commands.use(RunsCommand(), as: "runs")   // swift run App hookflow runs
/// ```
///
/// Under a `hookflow` command the app starts Hookflow without its workers, as for any
/// command other than `serve`.
public struct HookflowCommandGroup: AsyncCommandGroup {
    private final class Registry: Sendable {
        let commands = Mutex<[String: any AnyAsyncCommand]>([:])
    }

    private let registry = Registry()

    public var help: String { "Hookflow's commands" }

    /// The subcommands, by name.
    public var commands: [String: any AnyAsyncCommand] { registry.commands.withLock { $0 } }

    /// Adds `command` as `hookflow <name>`, replacing a command of that name.
    public func use(_ command: any AnyAsyncCommand, as name: String) {
        registry.commands.withLock { $0[name] = command }
    }

    /// What an operator runs: `runs`, `show`, `cancel`, `retry`, `rerun`, `fork`, `dead-letters`, `schedules`, `cleanup`, `settings`.
    static let operatorCommands: [String: any AnyAsyncCommand] = [
        "runs": RunsCommand(), "show": ShowCommand(), "cancel": RunActionCommand(action: .cancel),
        "retry": RunActionCommand(action: .retry),
        "rerun": RunActionCommand(action: .rerun), "fork": RunActionCommand(action: .fork),
        "dead-letters": DeadLettersCommand(), "cleanup": CleanupCommand(), "settings": SettingsCommand(),
        "schedules": SchedulesCommand(),
    ]
}
