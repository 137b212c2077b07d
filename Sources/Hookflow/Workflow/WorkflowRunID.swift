import Foundation

/// The identity of one run of a workflow.
///
/// Generated as a UUID by default; pass your own to make a trigger idempotent
/// (`runID: "order-12345"`): triggering it again returns the same run.
public struct WorkflowRunID: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The run id as stored and shown in the status API.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// A new random run id.
    public static func random() -> WorkflowRunID { WorkflowRunID(UUID().uuidString.lowercased()) }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
