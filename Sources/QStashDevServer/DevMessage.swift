import Foundation
import Hookflow

/// A message the dev server holds, as QStash's API shows it.
struct DevMessage: Sendable {
    var id: String
    var url: String
    var method: String
    var headers: [String: [String]]
    var forwardedHeaders: [(String, String)]
    var body: Data
    var maxRetries: Int
    var notBefore: Date
    var createdAt: Date
    var retried = 0
    var deduplicationID: String?

    var json: [String: DevJSON] {
        var fields: [String: DevJSON] = [
            "messageId": .string(id), "url": .string(url), "method": .string(method),
            "header": .object(headers.mapValues { .array($0.map(DevJSON.string)) }),
            "maxRetries": .int(maxRetries), "notBefore": .int(Int(HookflowTime.milliseconds(since1970: notBefore))),
            "createdAt": .int(Int(HookflowTime.milliseconds(since1970: createdAt))),
        ]
        if let text = String(data: body, encoding: .utf8) {
            fields["body"] = .string(text)
        } else {
            fields["bodyBase64"] = .string(body.base64EncodedString())
        }
        return fields
    }
}

/// A dead letter: the message and the last response it got.
struct DevDeadLetter: Sendable {
    var dlqID: String
    var message: DevMessage
    var responseStatus: Int?
    var responseBody: String

    var json: DevJSON {
        var fields = message.json
        fields["dlqId"] = .string(dlqID)
        fields["responseStatus"] = responseStatus.map(DevJSON.int) ?? .null
        fields["responseBody"] = .string(responseBody)
        return .object(fields)
    }
}

/// One line of `GET /v2/events`.
struct DevEvent: Sendable {
    var time: Date
    var messageID: String
    var state: String
    var url: String
    var responseStatus: Int?
    var nextDeliveryTime: Date?
    var error: String?

    var json: DevJSON {
        var fields: [String: DevJSON] = [
            "time": .int(Int(HookflowTime.milliseconds(since1970: time))), "messageId": .string(messageID),
            "state": .string(state), "url": .string(url),
        ]
        if let responseStatus { fields["responseStatus"] = .int(responseStatus) }
        if let nextDeliveryTime { fields["nextDeliveryTime"] = .int(Int(HookflowTime.milliseconds(since1970: nextDeliveryTime))) }
        if let error { fields["error"] = .string(error) }
        return .object(fields)
    }
}

/// The JSON the dev server answers with.
indirect enum DevJSON: Sendable, Encodable {
    case null
    case int(Int)
    case bool(Bool)
    case string(String)
    case array([DevJSON])
    case object([String: DevJSON])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
