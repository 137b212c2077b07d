import CoreMetrics
import Foundation
import Logging
import Prometheus
import Vapor

/// The demo app: `swift run hookflow-demo` serves on 127.0.0.1:8080;
/// `swift run hookflow-demo hookflow github dispatch --workflow deploy.yml …` dispatches a GitHub Actions workflow.
@main
enum Entrypoint {
    static func main() async throws {
        var environment = try Environment.detect()
        try LoggingSystem.bootstrap(from: &environment)
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: DemoMetrics.registry))
        let app = try await Application.make(environment)
        do {
            try configure(app)
            try await app.execute()
        } catch {
            // A command line wants the reason on stderr and a failing exit code, whatever the log level.
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
