import Foundation
import Hookflow
import XCTest

final class JSONTests: XCTestCase {
    func testSubscriptsReadMembersAndElementsAndNullWhenMissing() {
        let data: JSON = ["order_id": "12345", "items": [1, 2.5], "paid": true]
        XCTAssertEqual(data["order_id"].stringValue, "12345")
        XCTAssertEqual(data["items"][0].intValue, 1)
        XCTAssertEqual(data["items"][1].doubleValue, 2.5)
        XCTAssertEqual(data["paid"].boolValue, true)
        XCTAssertTrue(data["missing"].isNull)
        XCTAssertTrue(data["items"][9].isNull)
        XCTAssertNil(data["order_id"].intValue)
    }

    func testRoundTripKeepsWholeNumbersWhole() throws {
        let value: JSON = ["count": 3, "ratio": 0.25, "tags": ["a"], "none": nil]
        let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        XCTAssertTrue(text.contains("\"count\":3"), text)
        XCTAssertFalse(text.contains("3.0"), text)
        XCTAssertEqual(try JSONDecoder().decode(JSON.self, from: Data(text.utf8)), value)
    }

    func testDecodesIntoTypedValues() throws {
        struct Order: Codable, Equatable { var orderID: String }
        let json: JSON = ["orderID": "A-1"]
        let order = try JSONDecoder().decode(Order.self, from: JSONEncoder().encode(json))
        XCTAssertEqual(order, Order(orderID: "A-1"))
    }
}
