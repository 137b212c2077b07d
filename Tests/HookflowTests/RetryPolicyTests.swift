import Hookflow
import XCTest

final class RetryPolicyTests: XCTestCase {
    func testDelayGrowsExponentiallyUpToTheCap() {
        let policy = RetryPolicy.exponential(
            maxAttempts: 10, initialDelay: .seconds(1), backoffFactor: 2, maxDelay: .seconds(5), jitter: 0)
        XCTAssertEqual(policy.delay(afterAttempt: 1), 1)
        XCTAssertEqual(policy.delay(afterAttempt: 2), 2)
        XCTAssertEqual(policy.delay(afterAttempt: 3), 4)
        XCTAssertEqual(policy.delay(afterAttempt: 4), 5)
        XCTAssertEqual(policy.delay(afterAttempt: 9), 5)
    }

    func testJitterStaysWithinItsFraction() {
        let policy = RetryPolicy.exponential(initialDelay: .seconds(10), jitter: 0.2)
        XCTAssertEqual(policy.delay(afterAttempt: 1, randomUnit: 0), 8)
        XCTAssertEqual(policy.delay(afterAttempt: 1, randomUnit: 0.999_999), 10, accuracy: 0.001)
        for _ in 0..<100 {
            XCTAssertTrue((8...10).contains(policy.delay(afterAttempt: 1)))
        }
    }

    func testNeverMakesOneAttempt() {
        XCTAssertEqual(RetryPolicy.never.maxAttempts, 1)
        XCTAssertEqual(RetryPolicy.default.maxAttempts, 3)
    }
}
