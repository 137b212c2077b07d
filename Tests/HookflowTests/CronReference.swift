import Foundation
import XCTest

/// Python's `croniter` (PyPI, 7.0.0), installed into a virtual environment under `.build` (by
/// `scripts/test`, or on first use): the reference the cron tests compare with.
enum CronReference {
    static let version = "7.0.0"

    /// The next fire time after each `(expression, instant, time zone)`, by croniter; `nil` where
    /// croniter finds none.
    static func nextTimes(_ cases: [(expression: String, after: Date, timeZone: String)]) throws -> [Date?] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let venv = root.appendingPathComponent(".build/croniter-\(version)")
        let python = venv.appendingPathComponent("bin/python").path
        if !FileManager.default.fileExists(atPath: venv.appendingPathComponent("ready").path) {
            try run("/usr/bin/env", ["python3", "-m", "venv", venv.path], input: "")
            try run(python, ["-m", "pip", "install", "--quiet", "croniter==\(version)"], input: "")
            FileManager.default.createFile(atPath: venv.appendingPathComponent("ready").path, contents: nil)
        }
        let script = """
            import sys
            from datetime import datetime
            from zoneinfo import ZoneInfo
            from croniter import croniter
            for line in sys.stdin:
                expression, seconds, zone = line.rstrip("\\n").split("\\t")
                try:
                    start = datetime.fromtimestamp(float(seconds), ZoneInfo(zone))
                    print(croniter(expression, start).get_next(datetime).timestamp())
                except Exception:
                    print("none")
            """
        let input = cases.map { "\($0.expression)\t\($0.after.timeIntervalSince1970)\t\($0.timeZone)" }.joined(separator: "\n") + "\n"
        let output = try run(python, ["-c", script], input: input)
        return output.split(separator: "\n").map { Double($0).map(Date.init(timeIntervalSince1970:)) }
    }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String], input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw XCTSkip("croniter is not available (needs python3 with venv and PyPI): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
