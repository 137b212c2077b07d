import ArgumentParser
import Foundation

/// `github dispatch`: dispatches a workflow from the command line with the `GITHUB_*`
/// environment (``GitHubSettings/fromEnvironment(_:)``) and prints the run's id and URL. An app runs it with
/// `try await GitHubCommand.main(arguments)` (the demo: `hookflow-demo github dispatch …`).
public struct GitHubCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "github", abstract: "GitHub Actions from the app's settings.", subcommands: [Dispatch.self])

    public init() {}

    /// `github dispatch --repo owner/name --workflow deploy.yml --ref main --input key=value`
    public struct Dispatch: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Dispatch a workflow and print its run id and URL.")

        @Option(help: "owner/name; GITHUB_DEFAULT_REPO when left out.")
        var repo: String?

        @Option(help: "The workflow's file name (deploy.yml) or id.")
        var workflow: String

        @Option(help: "The branch or tag to run on.")
        var ref: String = "main"

        @Option(name: .customLong("input"), help: "An input as key=value; repeat for more.")
        var inputs: [String] = []

        public init() {}

        public func run() async throws {
            var values: [String: String] = [:]
            for input in inputs {
                guard let equals = input.firstIndex(of: "="), equals != input.startIndex else {
                    throw ValidationError("--input must be key=value, got '\(input)'")
                }
                values[String(input[..<equals])] = String(input[input.index(after: equals)...])
            }
            let client = try GitHubSettings.fromEnvironment().client()
            let run = try await client.dispatch(workflow, repo: repo, ref: ref, inputs: values)
            print("run_id: \(run.runID)")
            print("url: \(run.htmlURL ?? "-")")
        }
    }
}
