import Foundation
import XCTest

/// The demo's binary run as a command (`hookflow-demo hookflow …`), as an operator runs it.
enum DemoCommand {
    struct Finished {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs the demo with `arguments` and `environment` in `folder` (where it opens its database
    /// unless HOOKFLOW_DATABASE_URL says otherwise) and waits for it to exit.
    static func run(_ arguments: [String], environment: [String: String], in folder: URL) throws -> Finished {
        let bundle = Bundle(for: Marker.self).bundleURL
        let demo = try XCTUnwrap(
            [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("hookflow-demo") }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) })
        let process = Process()
        process.executableURL = demo
        process.currentDirectoryURL = folder
        process.arguments = arguments
        process.environment = environment.merging(["LOG_LEVEL": "error"]) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complained = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Finished(status: process.terminationStatus, output: printed, errors: complained)
    }

    private final class Marker {}
}
