import ArgumentParser
import QStashDevServer
import Vapor

/// `swift run hookflow-qstash-dev`: a QStash-compatible server on 127.0.0.1:8080 for local
/// development and tests, with Upstash's development token and signing keys.
@main
struct Entrypoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookflow-qstash-dev",
        abstract: "A local QStash-compatible server: publish, delayed and retried signed deliveries, DLQ, keys, events.")

    @ArgumentParser.Option(help: "The port to listen on.")
    var port = 8080

    @ArgumentParser.Option(help: "The address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "Multiplies retry back-off delays (0.01 turns QStash's 12 s first retry into 120 ms).")
    var timeScale = 1.0

    func run() async throws {
        var environment = try Environment.detect(arguments: [CommandLine.arguments[0]])
        try LoggingSystem.bootstrap(from: &environment)
        environment.arguments = [CommandLine.arguments[0], "serve", "--hostname", hostname, "--port", "\(port)"]
        let app = try await Application.make(environment)
        do {
            try QStashDevServer.configure(app, configuration: .init(timeScale: timeScale))
            app.logger.notice("QSTASH_URL=http://\(hostname):\(port) (token and signing keys: Upstash's development ones)")
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
