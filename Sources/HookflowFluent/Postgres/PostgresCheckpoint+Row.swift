import Foundation
import Hookflow

extension PostgresCheckpoint {
    /// A row of ``CheckpointStatement``, as a JSON object (times as seconds since 1970). Written
    /// out here rather than by `JSONEncoder`, whose keyed container took a sixth of the engine's
    /// CPU at 16 workers: every step's checkpoint encodes one.
    static func row(runID: String, owner: String, leaseUntil: Date?, now: Date, step: StepRecord, rowID: String) -> String {
        var row = JSONObjectText()
        row.add("run_id", runID)
        row.add("owner", owner)
        row.add("lease_until", leaseUntil?.timeIntervalSince1970)
        row.add("now", now.timeIntervalSince1970)
        row.add("id", rowID)
        row.add("step_id", step.stepID)
        row.add("kind", step.kind.rawValue)
        row.add("status", step.status.rawValue)
        row.add("result", step.result)
        row.add("error_message", step.errorMessage)
        row.add("attempts", step.attempts)
        row.add("sequence", step.sequence)
        row.add("wake_at", step.wakeAt?.timeIntervalSince1970)
        row.add("executed_at", step.executedAt.timeIntervalSince1970)
        row.add("event_key", step.eventKey)
        row.add("started_at", step.startedAt?.timeIntervalSince1970)
        return row.close()
    }
}

/// A flat JSON object written member by member, in UTF-8: strings escaped as JSON requires,
/// finite numbers in their shortest form, `nil` as `null`.
struct JSONObjectText {
    private var bytes: [UInt8] = {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        bytes.append(UInt8(ascii: "{"))
        return bytes
    }()

    /// Closes the object and answers its text.
    mutating func close() -> String {
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func add(_ key: String, _ value: String?) {
        member(key)
        guard let value else { return bytes.append(contentsOf: "null".utf8) }
        appendQuoted(value)
    }

    mutating func add(_ key: String, _ value: Double?) {
        member(key)
        guard let value, value.isFinite else { return bytes.append(contentsOf: "null".utf8) }
        bytes.append(contentsOf: value.description.utf8)
    }

    mutating func add(_ key: String, _ value: Int) {
        member(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    private mutating func member(_ key: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// `value` between quotes, with `"`, `\` and the control characters escaped (the bytes of a
    /// character beyond ASCII are all 0x80 or more: they go as they are).
    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
