/// A repository as `owner/name`.
public struct GitHubRepository: Sendable, Hashable, Codable, CustomStringConvertible {
    public let owner: String
    public let name: String

    public init(owner: String, name: String) {
        self.owner = owner
        self.name = name
    }

    /// Parses `owner/name` (a trailing `.git` is dropped); throws ``GitHubError/invalidRepository(_:)``.
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            !text.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" })
        else { throw GitHubError.invalidRepository(text) }
        self.owner = String(parts[0])
        self.name = parts[1].hasSuffix(".git") ? String(parts[1].dropLast(4)) : String(parts[1])
    }

    public var description: String { "\(owner)/\(name)" }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
