import CoreMetrics
import HookflowGitHub
import Logging
import Prometheus
import Vapor

/// The demo app: `swift run hookflow-demo` serves on 127.0.0.1:8080;
/// `swift run hookflow-demo github dispatch --workflow deploy.yml …` dispatches a GitHub Actions workflow.
@main
enum Entrypoint {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == GitHubCommand.configuration.commandName {
            await GitHubCommand.main(Array(arguments.dropFirst()))
            return
        }
        var environment = try Environment.detect()
        try LoggingSystem.bootstrap(from: &environment)
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: DemoMetrics.registry))
        let app = try await Application.make(environment)
        do {
            try configure(app)
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
