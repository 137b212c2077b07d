import Foundation
@testable import Hookflow
import HookflowFluent
import PropertyBased
import Testing

/// Any Unicode scalar, NUL and the last plane included (surrogates are not scalars).
let anyCharacter = Gen<UInt32>.value(in: 0...0x10FFFF).compactMap { UnicodeScalar($0).map(Character.init) }

/// A JSON value built from `seed`: nested up to `depth`, with integers over all of Int64,
/// finite doubles, and strings of any Unicode.
func randomJSON(_ generator: inout SplitMix, depth: Int) -> JSON {
    switch Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &generator) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &generator))
    case 2: return .integer(Int64.random(in: .min ... .max, using: &generator))
    case 3:
        let magnitude = Double.random(in: -300...300, using: &generator)
        return .number(Double.random(in: -1...1, using: &generator) * pow(10, magnitude))
    case 4, 5:
        let scalars = (0..<Int.random(in: 0...20, using: &generator)).compactMap { _ in
            UnicodeScalar(UInt32.random(in: 0...0x10FFFF, using: &generator))
        }
        return .string(String(String.UnicodeScalarView(scalars)))
    case 6: return .array((0..<Int.random(in: 0...5, using: &generator)).map { _ in randomJSON(&generator, depth: depth - 1) })
    default:
        var members: [String: JSON] = [:]
        for index in 0..<Int.random(in: 0...5, using: &generator) {
            members["k\(index)-\(UInt16.random(in: 0 ... .max, using: &generator))"] = randomJSON(&generator, depth: depth - 1)
        }
        return .object(members)
    }
}

/// SplitMix64, seeded by the property's input so a failure names its seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Properties of values that come from outside: JSON, ids and keys, dates, retry delays (issue 10).
@Suite struct PropertyTests {
    @Test func jsonRoundTripsExactlyThroughItsStoredText() async {
        await propertyCheck(count: 300, input: Gen<UInt64>.value()) { seed in
            var generator = SplitMix(state: seed)
            let value = randomJSON(&generator, depth: 4)
            let text = try JSONCoding.encode(value)
            let decoded = try JSONCoding.decode(JSON.self, from: text)
            #expect(decoded == value)
            #expect(try JSONCoding.encode(decoded) == text, "equal values are stored as equal text")
        }
    }

    @Test func integersOfEveryMagnitudeRoundTripExactly() async {
        await propertyCheck(count: 500, input: Gen<Int64>.value()) { integer in
            let decoded = try JSONCoding.decode(JSON.self, from: try JSONCoding.encode(JSON.integer(integer)))
            #expect(decoded.intValue.map(Int64.init) == integer)
        }
    }

    @Test func idsAreAcceptedExactlyWhenStorableAndStoredByteForByte() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-property-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try await SQLiteWorkflowStore.open(path: folder.appendingPathComponent("ids.sqlite").path)
        await propertyCheck(count: 300, input: anyCharacter.string(of: 0...40), Gen<Int>.value(in: 0...2)) { text, shape in
            // As it came, with a NUL inside, or 64 KB long.
            let id = [text, text + "\u{0}" + text, String(repeating: text.isEmpty ? "x" : text, count: 65_536 / max(1, text.utf8.count))][shape]
            let storable = !id.isEmpty && !id.utf8.contains(0) && id.utf8.count <= Identifier.maximumBytes
            #expect((try? Identifier.validate(id, as: "run id")) != nil ? storable : !storable)
            // Whatever the engine lets through, SQLite keeps whole: no other id reads it back.
            let created = try await store.createRun(runID: WorkflowRunID(id), workflowID: "w", input: "{}", now: Date())
            let read = try await store.run(WorkflowRunID(id))
            #expect(read?.runID.rawValue == id)
            if created.created, let cut = id.split(separator: "\u{0}").first.map(String.init), cut != id {
                let prefix = try await store.run(WorkflowRunID(cut))
                #expect(prefix == nil || prefix?.runID.rawValue == cut, "an id was stored cut at its NUL")
            }
        }
        try await store.close()
    }

    @Test func anyDateIsClampedIntoTheStoredRangeAndConvertsWithoutTrapping() async {
        let extremes = [Date.distantPast, .distantFuture, Date(timeIntervalSince1970: 1e300), Date(timeIntervalSince1970: -1e300)]
        await propertyCheck(count: 500, input: Gen.dateTime(inYear: 1...9999), Gen<Int>.value(in: 0...4)) { date, pick in
            let date = pick < extremes.count ? extremes[pick] : date
            let clamped = HookflowTime.clamp(date)
            #expect(clamped >= HookflowTime.earliest && clamped <= HookflowTime.latest)
            #expect(HookflowTime.milliseconds(since1970: date) == HookflowTime.milliseconds(since1970: clamped))
            let later = HookflowTime.date(date, plus: .seconds(Int64.max))
            #expect(later == HookflowTime.latest)
            _ = HookflowTime.secondsRoundedUp(since1970: date)
        }
    }

    @Test func retryDelaysAreFiniteNonNegativeAndBoundedByTheirMaximum() async {
        await propertyCheck(
            count: 500, input: Gen<Int64>.value(in: 0...Int64.max), Gen.double(in: 0...1000), Gen<Int>.value(in: 1...10_000),
            Gen.double(in: 0...1)
        ) { seconds, factor, attempt, jitter in
            let policy = RetryPolicy.exponential(
                maxAttempts: 10, initialDelay: .seconds(seconds % 1_000_000), backoffFactor: factor,
                maxDelay: .seconds(seconds), jitter: jitter)
            let delay = policy.delay(afterAttempt: attempt)
            #expect(delay.isFinite && delay >= 0)
            #expect(delay <= Double(seconds) + 1e-6)
            let wake = HookflowTime.date(Date(), plusSeconds: delay)
            #expect(wake <= HookflowTime.latest)
        }
    }
}
