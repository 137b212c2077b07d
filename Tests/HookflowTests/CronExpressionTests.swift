import Foundation
import Hookflow
import XCTest

/// Cron expressions: what they accept and refuse, and their fire times against Python's croniter.
final class CronExpressionTests: XCTestCase {
    private let utc = TimeZone(identifier: "UTC")!

    private func date(_ text: String) -> Date { HookflowTime.parseISO8601(text)! }

    func testFieldsRangesStepsListsNamesAndMacrosSelectTheirTimes() throws {
        let start = date("2026-12-06T10:17:00Z")  // a Sunday
        XCTAssertEqual(try CronExpression("*/15 * * * *").next(3, after: start, in: utc),
                       [date("2026-12-06T10:30:00Z"), date("2026-12-06T10:45:00Z"), date("2026-12-06T11:00:00Z")])
        XCTAssertEqual(try CronExpression("0 9 * * mon-fri").next(after: start, in: utc), date("2026-12-07T09:00:00Z"))
        XCTAssertEqual(try CronExpression("0 0 1 jan,JUL *").next(after: start, in: utc), date("2027-01-01T00:00:00Z"))
        XCTAssertEqual(try CronExpression("5/20 10 * * *").next(2, after: start, in: utc),
                       [date("2026-12-06T10:25:00Z"), date("2026-12-06T10:45:00Z")])
        XCTAssertEqual(try CronExpression("0 12 * * 7").next(after: start, in: utc), date("2026-12-06T12:00:00Z"), "7 is Sunday")
        XCTAssertEqual(try CronExpression("@hourly").next(after: start, in: utc), date("2026-12-06T11:00:00Z"))
        XCTAssertEqual(try CronExpression("@weekly").next(after: start, in: utc), date("2026-12-13T00:00:00Z"))
        XCTAssertEqual(try CronExpression("@monthly").next(after: start, in: utc), date("2027-01-01T00:00:00Z"))
        // Both day fields restricted: either matches (the 13th, or a Friday); a step restricts too.
        XCTAssertEqual(try CronExpression("0 0 13 * fri").next(2, after: start, in: utc),
                       [date("2026-12-11T00:00:00Z"), date("2026-12-13T00:00:00Z")])
        XCTAssertEqual(try CronExpression("0 0 */10 * mon").next(2, after: start, in: utc),
                       [date("2026-12-07T00:00:00Z"), date("2026-12-11T00:00:00Z")])
        XCTAssertEqual(try CronExpression("0 0 5-5 * *").next(after: start, in: utc), date("2027-01-05T00:00:00Z"), "a range of one day")
        XCTAssertNil(try CronExpression("0 0 30 2 *").next(after: start, in: utc), "February 30th fired")
    }

    func testABadExpressionIsRefusedNamingTheFieldAndTheValue() {
        let cases: [(String, String?, String)] = [
            ("* * * *", nil, "has 4 fields"), ("60 * * * *", "minute", "'60' is out of range"),
            ("* 24 * * *", "hour", "'24'"), ("* * 0 * *", "day of month", "'0'"), ("* * * foo *", "month", "'foo' is not a number"),
            ("* * * * 8", "day of week", "'8'"), ("*/0 * * * *", "minute", "step"), ("5-1 * * * *", "minute", "ends before it starts"),
            ("1,,2 * * * *", "minute", "empty item"), ("@sometimes", nil, "has 1 field"),
        ]
        for (text, field, fragment) in cases {
            XCTAssertThrowsError(try CronExpression(text), text) { error in
                let cron = error as? CronExpressionError
                XCTAssertEqual(cron?.field, field, text)
                XCTAssertTrue(cron?.description.contains(fragment) == true, "\(text): \(String(describing: cron))")
            }
        }
    }

    func testEachLocalTimeFiresOnceAcrossDaylightSavingChanges() throws {
        let paris = TimeZone(identifier: "Europe/Paris")!
        let job = try CronExpression("30 2 * * *")
        // 2026-03-29: 02:00 becomes 03:00 in Paris; 02:30 does not exist and fires at 03:30 (01:30 UTC).
        let spring = job.next(3, after: date("2026-03-27T12:00:00Z"), in: paris)
        XCTAssertEqual(spring, [date("2026-03-28T01:30:00Z"), date("2026-03-29T01:30:00Z"), date("2026-03-30T00:30:00Z")])
        // 2026-10-25: 03:00 becomes 02:00; 02:30 happens twice and fires once, the first time.
        let autumn = job.next(3, after: date("2026-10-23T12:00:00Z"), in: paris)
        XCTAssertEqual(autumn, [date("2026-10-24T00:30:00Z"), date("2026-10-25T00:30:00Z"), date("2026-10-26T01:30:00Z")])
        // Every fifteen minutes through the night of the change in New York: each local time once.
        let newYork = TimeZone(identifier: "America/New_York")!
        let quarter = try CronExpression("*/15 1-3 * * *")
        let fallBack = quarter.next(12, after: date("2026-11-01T04:00:00Z"), in: newYork)
        XCTAssertEqual(Set(fallBack).count, 12, "a time fired twice")
        XCTAssertEqual(fallBack.first, date("2026-11-01T05:00:00Z"), "01:00 EDT")
        XCTAssertEqual(fallBack.last, date("2026-11-01T08:45:00Z"), "03:45 EST: the repeated hour fired once")
    }

    func testFireTimesMatchPythonsCroniterOnThousandsOfGeneratedExpressions() throws {
        var generator = SeededGenerator(seed: 14)
        let zones = ["UTC", "Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo"]
        var cases: [(expression: String, after: Date, timeZone: String)] = []
        for _ in 0..<3000 {
            // A day field that selects every day but is not `*` (`*/1`, `0-6`) is left out: croniter 7
            // reads it as `*` in some expressions and as a list of every day in others.
            func day(_ text: String, every: Set<String>) -> String { every.contains(text) ? "*" : text }
            let expression = [
                Self.field(0...59, &generator), Self.field(0...23, &generator),
                day(Self.field(1...28, &generator), every: ["*/1"]), Self.field(1...12, &generator),
                day(Self.field(0...6, &generator), every: ["*/1", "0-6", "0-6/1"]),
            ].joined(separator: " ")
            let seconds = Double.random(in: 1_600_000_000...1_900_000_000, using: &generator).rounded()
            cases.append((expression, Date(timeIntervalSince1970: seconds), zones.randomElement(using: &generator)!))
        }
        let reference = try CronReference.nextTimes(cases)
        XCTAssertEqual(reference.count, cases.count)
        var compared = 0
        var differences: [String] = []
        for (index, test) in cases.enumerated() {
            guard let expected = reference[index] else { continue }
            let ours = try CronExpression(test.expression).next(after: test.after, in: TimeZone(identifier: test.timeZone)!)
            compared += 1
            if ours != expected {
                differences.append("\(test.expression) after \(test.after) in \(test.timeZone): \(String(describing: ours)), croniter \(expected)")
            }
        }
        XCTAssertGreaterThan(compared, 2900)
        XCTAssertEqual(differences.count, 0, differences.prefix(25).joined(separator: "\n"))
        print("cron: \(compared) fire times compared with croniter \(CronReference.version), \(differences.count) differences")
    }

    /// A field of a generated expression: `*`, a value, a range, a step or a list.
    private static func field(_ range: ClosedRange<Int>, _ generator: inout SeededGenerator) -> String {
        func value() -> Int { Int.random(in: range, using: &generator) }
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: return "*"
        case 1: return "\(value())"
        // Ranges of more than one value: croniter 7 reads `5-5` as the whole field.
        case 2:
            let a = Int.random(in: range.lowerBound..<range.upperBound, using: &generator)
            return "\(a)-\(Int.random(in: (a + 1)...range.upperBound, using: &generator))"
        case 3: return "*/\(Int.random(in: 1...max(1, range.upperBound / 2), using: &generator))"
        case 4:
            let a = Int.random(in: range.lowerBound..<range.upperBound, using: &generator)
            return "\(a)-\(Int.random(in: (a + 1)...range.upperBound, using: &generator))/\(Int.random(in: 1...5, using: &generator))"
        default: return Set((0..<3).map { _ in value() }).sorted().map(String.init).joined(separator: ",")
        }
    }
}

/// A deterministic random number generator (SplitMix64), so that a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
