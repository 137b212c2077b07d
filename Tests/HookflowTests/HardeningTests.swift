import Foundation
@testable import Hookflow
import XCTest

/// Defects of hostile input and far-future times in the core, each pinned (issue 10).
final class HardeningTests: XCTestCase {
    func testJSONDecodingRefusesNestingDeeperThanTheLimit() throws {
        let shallow = String(repeating: "[", count: JSON.maximumDepth) + String(repeating: "]", count: JSON.maximumDepth)
        XCTAssertNoThrow(try JSONDecoder().decode(JSON.self, from: Data(shallow.utf8)))
        let deep = String(repeating: #"{"a":["#, count: 100) + String(repeating: "]}", count: 100)
        XCTAssertThrowsError(try JSONDecoder().decode(JSON.self, from: Data(deep.utf8))) { error in
            XCTAssertTrue("\(error)".contains("nested deeper than \(JSON.maximumDepth)"), "\(error)")
        }
    }

    func testJSONDecodingThroughADecoderThatEchoesItselfForeverThrows() {
        // What Vapor's form decoder does with the body `%`: every container hands back the same fragment.
        XCTAssertThrowsError(try JSON(from: EchoDecoder())) { error in
            guard case DecodingError.dataCorrupted = error else { return XCTFail("\(error)") }
        }
    }

    func testIntegersBeyondDoublePrecisionRoundTripExactly() throws {
        let text = #"{"id":9007199254740993,"max":9223372036854775807,"min":-9223372036854775808,"x":1.5}"#
        let value = try JSONDecoder().decode(JSON.self, from: Data(text.utf8))
        XCTAssertEqual(value["id"], .integer(9_007_199_254_740_993))
        XCTAssertEqual(value["id"].intValue, 9_007_199_254_740_993)
        XCTAssertEqual(try JSONCoding.encode(value), text)
        XCTAssertEqual(JSON.number(3), JSON.integer(3), "a whole Double equals the integer")
        XCTAssertEqual(Set([JSON.number(3), JSON.integer(3)]).count, 1)
        XCTAssertNotEqual(JSON.number(3.5), JSON.integer(3))
    }

    func testFarFutureTimesAndDurationsClampInsteadOfTrapping() {
        let now = Date()
        XCTAssertEqual(HookflowTime.date(now, plus: .seconds(Int64.max)), HookflowTime.latest)
        XCTAssertEqual(HookflowTime.date(now, plusSeconds: .infinity), HookflowTime.latest)
        XCTAssertEqual(HookflowTime.date(now, plusSeconds: -.infinity), HookflowTime.earliest)
        XCTAssertEqual(HookflowTime.date(now, plusSeconds: .nan), now)
        XCTAssertEqual(HookflowTime.milliseconds(since1970: Date(timeIntervalSince1970: 1e300)), 253_402_300_799_000)
        XCTAssertEqual(HookflowTime.nanoseconds(of: .seconds(Int64.max)), Int64.max)
        XCTAssertEqual(HookflowTime.nanoseconds(of: .seconds(Int64.min)), Int64.min)
        XCTAssertEqual(HookflowTime.duration(seconds: .nan), .zero)
        XCTAssertEqual(HookflowTime.duration(seconds: -5), .zero)
        XCTAssertGreaterThan(HookflowTime.duration(seconds: .infinity), .seconds(200_000_000_000))
        XCTAssertEqual(HookflowTime.duration(seconds: 1.5), .milliseconds(1500))
        let huge = RetryPolicy.exponential(maxAttempts: 99, initialDelay: .seconds(Int64.max), maxDelay: .seconds(Int64.max))
        XCTAssertTrue(huge.delay(afterAttempt: 98).isFinite)
    }

    func testIdentifiersWithNULOrTooLongOrEmptyAreRefusedByName() {
        XCTAssertNoThrow(try Identifier.validate("order-A", as: "run id"))
        XCTAssertNoThrow(try Identifier.validate("commande-é-🚀", as: "run id"))
        for (value, reason) in [
            ("order-A\u{0}x", "NUL"), ("", "empty"), (String(repeating: "k", count: 513), "513 bytes"),
        ] {
            XCTAssertThrowsError(try Identifier.validate(value, as: "event key")) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("invalid event key"), text)
                XCTAssertTrue(text.contains(reason), text)
                XCTAssertFalse(text.utf8.contains(0), "the error repeats the NUL")
                XCTAssertLessThan(text.count, 200, "the error repeats a long value whole")
            }
        }
    }

    func testStoredErrorMessagesHoldNoNULAndAreBounded() {
        let message = StoredText.errorMessage("5xx body: a\u{0}b" + String(repeating: "x", count: 100_000))
        XCTAssertFalse(message.utf8.contains(0))
        XCTAssertTrue(message.hasPrefix("5xx body: a\\0b"))
        XCTAssertLessThan(message.count, StoredText.maximumErrorLength + 100)
        XCTAssertEqual(StoredText.shown("a\nFAKE log line\u{1b}[31m"), #""a\nFAKE log line\u{1b}[31m""#)
    }
}

/// A decoder whose every container decodes the same decoder again, forever.
private struct EchoDecoder: Decoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "not an object"))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed() }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single() }

    private static func echo<T: Decodable>(_ type: T.Type) throws -> T {
        if type == [JSON].self || type == JSON.self { return try T(from: EchoDecoder()) }
        throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "not a \(type)"))
    }

    private struct Single: SingleValueDecodingContainer {
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try EchoDecoder.echo(type) }
    }

    private struct Unkeyed: UnkeyedDecodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int? { 1 }
        var isAtEnd: Bool { false }
        var currentIndex: Int { 0 }
        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try EchoDecoder.echo(type) }
        mutating func nestedContainer<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            try EchoDecoder().container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { self }
        mutating func superDecoder() throws -> any Decoder { EchoDecoder() }
    }
}
