import HookflowGitHub
import HookflowVapor
import Vapor

/// `hookflow github dispatch --repo owner/name --workflow deploy.yml --ref main --input key=value`:
/// dispatches a workflow with the app's GitHub settings and prints its run's id and URL.
struct GitHubDispatchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "repo", help: "owner/name; the default repository (GITHUB_DEFAULT_REPO) when left out")
        var repo: String?

        @Option(name: "workflow", help: "The workflow's file name (deploy.yml) or id")
        var workflow: String?

        @Option(name: "ref", help: "The branch or tag to run on (main when left out)")
        var ref: String?

        /// Shown by `--help`; every `--input` is taken by ``GitHubDispatchCommand/run(using:)``
        /// first, since ConsoleKit reads an option once.
        @Option(name: "input", help: "An input as key=value; repeat for more")
        var input: String?
    }

    /// Where ``run(using:)`` hands the `--input` values to ``run(using:signature:)``.
    private static let inputsKey = AnySendableHashable("hookflow.github.dispatch.inputs")

    var help: String { "Dispatch a GitHub Actions workflow and print its run id and URL" }

    func run(using context: inout CommandContext) async throws {
        context.userInfo[Self.inputsKey] = try Self.takeInputs(from: &context.input)
        let signature = try Signature(from: &context.input)
        guard context.input.arguments.isEmpty else {
            throw CommandError.unknownInput(context.input.arguments.joined(separator: " "))
        }
        try await run(using: context, signature: signature)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let workflow = signature.workflow, !workflow.isEmpty else {
            throw HookflowConfigurationError(setting: "--workflow", message: "is required: the workflow's file name (deploy.yml) or id")
        }
        let inputs = context.userInfo[Self.inputsKey] as? [String: String] ?? [:]
        let hookflow = context.application.hookflow
        let run: GitHubDispatchedRun
        do {
            run = try await hookflow.github.dispatch(workflow, repo: signature.repo, ref: signature.ref ?? "main", inputs: inputs)
        } catch let error as GitHubError {
            let fromEnvironment = (try? hookflow.gitHubState.resolved().fromEnvironment) ?? false
            throw fromEnvironment ? error.namingTheEnvironment : error as any Error
        }
        context.console.print("run_id: \(run.runID)")
        context.console.print("url: \(run.htmlURL ?? "-")")
    }

    /// Removes every `--input key=value` from `input`; throws on a value that is not `key=value`.
    static func takeInputs(from input: inout CommandInput) throws -> [String: String] {
        var inputs: [String: String] = [:]
        while let flag = input.arguments.firstIndex(of: "--input") {
            let valueIndex = input.arguments.index(after: flag)
            guard valueIndex < input.arguments.endIndex else {
                throw HookflowConfigurationError(setting: "--input", message: "needs a value: --input key=value")
            }
            let value = input.arguments[valueIndex]
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw HookflowConfigurationError(setting: "--input", message: "must be key=value, got '\(value)'")
            }
            inputs[String(value[..<equals])] = String(value[value.index(after: equals)...])
            input.arguments.removeSubrange(flag...valueIndex)
        }
        return inputs
    }
}
