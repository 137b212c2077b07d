import Synchronization
import XCTest

@testable import HookflowFluent

/// How ``GroupCommit`` forms its batches where a flush takes long next to its callers' own work.
final class GroupCommitTests: XCTestCase {
    private struct Write: GroupCommitRequest {
        typealias Response = Int
        let worker: Int
        var batchKey: String? { "\(worker)" }
    }

    /// The sizes of the batches flushed, in order.
    private final class Batches: Sendable {
        private let sizes = Mutex<[Int]>([])
        var all: [Int] { sizes.withLock { $0 } }

        /// A flush that takes 5 ms and notes its batch's size.
        func flush(_ batch: [Write]) async -> [Result<Int, any Error>] {
            sizes.withLock { $0.append(batch.count) }
            try? await Task.sleep(for: .milliseconds(5))
            return batch.map { .success($0.worker) }
        }
    }

    /// Writes `rounds` requests from each of `workers` concurrent callers; answers the size of each batch, in order.
    private func batches(of commit: GroupCommit<Write>, workers: Int, rounds: Int) async -> [Int] {
        let batches = Batches()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for _ in 0..<rounds {
                        _ = try? await commit.submit(Write(worker: worker), flush: batches.flush)
                        // The caller's own work before its next write.
                        await Task.yield()
                    }
                }
            }
        }
        return batches.all
    }

    func testAGatheringLeaderWaitsForEveryCallerOfTheLastFlushBeforeItFlushes() async {
        let commit = GroupCommit<Write>(gathering: .init(limit: .milliseconds(500), patience: .max))
        let sizes = await batches(of: commit, workers: 8, rounds: 10)
        XCTAssertEqual(sizes.reduce(0, +), 80, "a write was lost or written twice: \(sizes)")
        // The first caller flushes alone, the others queue meanwhile; from then on each batch waits for
        // all, but the last: the first caller's last write went in the batch before, and is not coming.
        XCTAssertLessThanOrEqual(sizes.count, 11, "batches: \(sizes)")
        XCTAssertTrue(sizes.dropFirst(2).dropLast().allSatisfy { $0 == 8 }, "batches: \(sizes)")
    }

    func testWithoutGatheringTheCallersOfOneBatchMissTheNext() async {
        let sizes = await batches(of: GroupCommit<Write>(), workers: 8, rounds: 10)
        XCTAssertEqual(sizes.reduce(0, +), 80, "a write was lost or written twice: \(sizes)")
        XCTAssertTrue(sizes.dropFirst(2).contains { $0 < 8 }, "every batch carried every caller without gathering: \(sizes)")
    }

    func testALoneCallerIsNotHeldBackByGathering() async throws {
        let commit = GroupCommit<Write>(gathering: .init(limit: .seconds(60), patience: .max))
        let started = ContinuousClock.now
        for _ in 0..<20 {
            _ = try await commit.submit(Write(worker: 0)) { batch in batch.map { .success($0.worker) } }
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(30), "a lone caller waited for callers that never come")
    }
}
