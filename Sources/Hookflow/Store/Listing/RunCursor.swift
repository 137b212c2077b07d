import Foundation

/// Where a page of a run listing ended: the next page starts after this run. Opaque to
/// callers; ``encoded`` is what an API hands out and ``init(encoded:)`` takes back.
public struct RunCursor: Sendable, Hashable {
    /// When the last run of the page was created.
    public let createdAt: Date
    /// The last run of the page.
    public let runID: WorkflowRunID

    public init(createdAt: Date, runID: WorkflowRunID) {
        self.createdAt = createdAt
        self.runID = runID
    }

    /// The cursor after `run`.
    public init(after run: RunRecord) {
        self.init(createdAt: run.createdAt, runID: run.runID)
    }

    /// The cursor as URL-safe text.
    public var encoded: String {
        // The time as Date keeps it, so that it comes back exactly.
        let text = "\(createdAt.timeIntervalSinceReferenceDate)|\(runID.rawValue)"
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The cursor `encoded` names, or `nil` when it is not one ``encoded`` made.
    public init?(encoded: String) {
        guard encoded.utf8.count <= 4096 else { return nil }
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let bar = text.firstIndex(of: "|"), let seconds = Double(text[..<bar]), seconds.isFinite
        else { return nil }
        let runID = String(text[text.index(after: bar)...])
        guard (try? Identifier.validate(runID, as: "run id")) != nil else { return nil }
        self.init(createdAt: Date(timeIntervalSinceReferenceDate: seconds), runID: WorkflowRunID(runID))
    }

    /// Whether `run` comes after this cursor in a listing (newest first, then by id).
    public func precedes(_ run: RunRecord) -> Bool {
        if run.createdAt != createdAt { return run.createdAt < createdAt }
        return run.runID.rawValue.utf8.lexicographicallyPrecedes(runID.rawValue.utf8)
    }
}
