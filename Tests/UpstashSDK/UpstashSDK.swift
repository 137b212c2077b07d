import Foundation
import XCTest

/// Upstash's own Python SDK (PyPI `qstash` 3.4.0), installed into a virtual environment
/// under `.build` (by `scripts/test`, or on first use), so that our signing, verification
/// and local server can be checked against code no one here wrote.
public enum UpstashSDK {
    public static let version = "3.4.0"

    public static func python() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let venv = root.appendingPathComponent(".build/upstash-qstash-\(version)")
        let python = venv.appendingPathComponent("bin/python").path
        let ready = venv.appendingPathComponent("ready").path
        if !FileManager.default.fileExists(atPath: ready) {
            try run("/usr/bin/env", ["python3", "-m", "venv", venv.path])
            try run(python, ["-m", "pip", "install", "--quiet", "qstash==\(version)", "pyjwt"])
            FileManager.default.createFile(atPath: ready, contents: nil)
        }
        return python
    }

    /// Runs a Python script with the SDK; returns its standard output, trimmed.
    public static func script(_ source: String, _ arguments: [String]) throws -> String {
        try run(python(), ["-c", source] + arguments)
    }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let failure = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SDKError(message: "\(executable) \(arguments.prefix(3)) failed: \(String(decoding: failure, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct SDKError: Error, CustomStringConvertible {
        let message: String
        var description: String { "Upstash SDK: \(message) (needs python3 with venv and PyPI)" }
    }
}
