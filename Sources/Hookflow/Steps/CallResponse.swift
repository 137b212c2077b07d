import Foundation

/// The checkpointed response of a `ctx.step.call`.
public struct CallResponse: Sendable, Hashable, Codable {
    /// The HTTP status code.
    public var status: Int
    /// The response headers; repeated names are joined with ", ".
    public var headers: [String: String]
    /// The response body.
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as UTF-8 text, when it is valid UTF-8.
    public var text: String? { String(data: body, encoding: .utf8) }

    /// Decodes the body as JSON into `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: body)
    }

    private enum CodingKeys: String, CodingKey {
        case status, headers, body
        case bodyBase64 = "body_base64"
    }

    /// Text bodies are stored as text, so that the status API shows them readably.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(headers, forKey: .headers)
        if let text {
            try container.encode(text, forKey: .body)
        } else {
            try container.encode(body.base64EncodedString(), forKey: .bodyBase64)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(Int.self, forKey: .status)
        headers = try container.decode([String: String].self, forKey: .headers)
        if let text = try container.decodeIfPresent(String.self, forKey: .body) {
            body = Data(text.utf8)
        } else {
            let encoded = try container.decode(String.self, forKey: .bodyBase64)
            guard let data = Data(base64Encoded: encoded) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .bodyBase64, in: container, debugDescription: "not base64")
            }
            body = data
        }
    }
}
