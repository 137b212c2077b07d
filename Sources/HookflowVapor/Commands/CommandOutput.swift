import Foundation
import Hookflow
import Vapor

/// How Hookflow's commands print: a table for a person, JSON (`--json`) for a script.
enum CommandOutput {
    /// `rows` under `header`, each column as wide as its widest cell.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// `value` as JSON with sorted keys.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A time as the status API shows it.
    static func time(_ date: Date?) -> String {
        date?.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted)) ?? "-"
    }

    /// The engine of the app the command runs in: its store is open, its workers are not running.
    static func engine(_ context: CommandContext) throws -> WorkflowEngine {
        try context.application.hookflow.engine
    }
}

/// A command's mistake or a run it cannot find: the demo and apps print it and exit with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}
