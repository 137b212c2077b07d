import Foundation
import HookflowFluent
import XCTest

/// The ids of step rows: UUID version 7, in the order they were made.
final class TimeOrderedIDTests: XCTestCase {
    func testIDsSortInTheOrderTheyWereMadeAndAreVersion7() {
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        let ids = (0..<1000).map { TimeOrderedID.make(at: start.addingTimeInterval(Double($0) * 0.01)).uuidString }
        XCTAssertTrue(ids == ids.sorted(), "ids made 10 ms apart do not sort in that order")
        XCTAssertEqual(Set(ids).count, ids.count)
        for id in ids.prefix(10) {
            XCTAssertEqual(Array(id)[14], "7", "\(id) is not a version 7 UUID")
            XCTAssertTrue("89AB".contains(Array(id)[19]), "\(id) does not have the RFC 4122 variant")
        }
        let sameInstant = (0..<100).map { _ in TimeOrderedID.make(at: start) }
        XCTAssertEqual(Set(sameInstant).count, 100, "ids made in the same millisecond collided")
    }

    func testAnIDsTextIsWhatUUIDStringWritesAndSortsTheSame() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let texts = (0..<200).map { TimeOrderedID.text(at: start.addingTimeInterval(Double($0) * 0.002)) }
        for text in texts {
            let uuid = try XCTUnwrap(UUID(uuidString: text), "not a UUID: \(text)")
            XCTAssertEqual(uuid.uuidString, text, "not in uuidString's form")
            XCTAssertEqual(Array(text)[14], "7", "\(text) is not a version 7 UUID")
        }
        XCTAssertEqual(texts, texts.sorted(), "later ids do not sort after earlier ones")
        XCTAssertEqual(Set(texts).count, texts.count, "two ids are the same")
    }
}
