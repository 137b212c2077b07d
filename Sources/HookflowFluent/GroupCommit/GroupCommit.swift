import Synchronization

/// Writes that arrive together, committed together: one transaction for all that are ready.
///
/// The first caller to find no write under way leads: it writes its own request and every
/// request that queued meanwhile (up to ``maxBatch``) in one flush (its own), hands each caller
/// its own result, and passes the lead to the first caller still queued. Nothing waits for a
/// batch to fill: a caller alone writes at once, and a batch is what arrived while the last one
/// was being written (with ``Gathering``, and the last one's callers back). One flush at a time: on PostgreSQL too, where flushes on several
/// connections at once were measured slower (smaller batches, as many round trips).
///
/// Each caller returns only once the flush that carries its request has returned, with its own
/// result: a flush reports a failure per request, so one request's failure (a lost lease) fails
/// no other.
///
/// Requests with the same ``GroupCommitRequest/batchKey`` never share a batch (a run's two
/// writes are committed one after the other, in the order they came).
///
/// With ``Gathering``, a leader first lets the callers of the last batch come back: where a
/// flush takes long next to the work between two writes (a round trip to PostgreSQL), the
/// callers of one batch would otherwise miss the next one, which then carries only those that
/// queued while the last was written, and two half batches take turns. It waits only for as many
/// requests as were in flight during the last flush, and within its ``Gathering/limit``.
final class GroupCommit<Request: GroupCommitRequest>: Sendable {
    /// Writes a batch in one transaction: one result per request, in order.
    typealias Flush = ([Request]) async -> [Result<Request.Response, any Error>]

    private enum Turn: Sendable {
        case done(Result<Request.Response, any Error>)
        case lead
    }

    private struct Waiter: Sendable {
        let request: Request
        let continuation: CheckedContinuation<Turn, Never>
    }

    private struct State: Sendable {
        var leading = false
        var queue: [Waiter] = []
        var statistics = GroupCommitStatistics()
        /// How many requests a gathering leader waits for: those the last flush carried and
        /// those that queued while it was written.
        var expected = 0
    }

    /// How a leader waits for the callers of the last batch before it flushes.
    struct Gathering: Sendable {
        /// The longest wait.
        var limit: Duration
        /// The wait ends once this many turns of the other tasks brought no request.
        var patience: Int
    }

    /// At most how many requests one flush writes.
    let maxBatch: Int
    /// `nil`: a leader flushes at once.
    let gathering: Gathering?
    private let state = Mutex(State())

    init(maxBatch: Int = 64, gathering: Gathering? = nil) {
        precondition(maxBatch >= 1, "a batch holds at least one request")
        self.maxBatch = maxBatch
        self.gathering = gathering
    }

    /// What the flushes carried so far, for tests and benchmarks.
    var statistics: GroupCommitStatistics { state.withLock { $0.statistics } }

    /// Writes `request` in the next batch and returns its result once that batch is committed;
    /// `flush` writes the batch when this caller leads it.
    func submit(_ request: Request, flush: Flush) async throws -> Request.Response {
        let leadsAtOnce = state.withLock { state -> Bool in
            guard !state.leading else { return false }
            state.leading = true
            return true
        }
        if leadsAtOnce { return try await lead(with: request, flush: flush).get() }
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            // The lead may have ended since the look above: then this caller takes it.
            let leadsNow = state.withLock { state -> Bool in
                guard state.leading else {
                    state.leading = true
                    return true
                }
                state.queue.append(Waiter(request: request, continuation: continuation))
                return false
            }
            if leadsNow { continuation.resume(returning: .lead) }
        }
        switch turn {
        case .done(let result): return try result.get()
        case .lead: return try await lead(with: request, flush: flush).get()
        }
    }

    /// Writes `request` and the queued ones, answers them, and passes the lead on.
    private func lead(with request: Request, flush: Flush) async -> Result<Request.Response, any Error> {
        if let gathering { await gather(gathering) }
        let followers = state.withLock { state in Self.takeBatch(from: &state.queue, after: request, max: maxBatch) }
        let results = await flush([request] + followers.map(\.request))
        let next = state.withLock { state -> Waiter? in
            state.statistics.batches += 1
            state.statistics.requests += followers.count + 1
            state.statistics.largestBatch = max(state.statistics.largestBatch, followers.count + 1)
            state.expected = min(maxBatch, followers.count + 1 + state.queue.count)
            guard !state.queue.isEmpty else {
                state.leading = false
                return nil
            }
            return state.queue.removeFirst()
        }
        // The next leader first: its flush need not wait behind the callers resumed here.
        next?.continuation.resume(returning: .lead)
        for (index, follower) in followers.enumerated() {
            follower.continuation.resume(returning: .done(Self.result(results, at: index + 1)))
        }
        return Self.result(results, at: 0)
    }

    /// While fewer requests are ready than were in flight during the last flush (its own and those
    /// queued meanwhile), lets the other tasks run (the last batch's callers among them, on their way
    /// back with their next request), until as many are ready, or `patience` turns in a row brought
    /// none, or `limit` has passed. A lone caller never waits.
    private func gather(_ gathering: Gathering) async {
        let ready = { self.state.withLock { state in (state.queue.count + 1, state.expected) } }
        let (first, target) = ready()
        guard first < target else { return }
        var count = first
        let deadline = ContinuousClock.now + gathering.limit
        var idleTurns = 0
        while count < target, idleTurns < gathering.patience, ContinuousClock.now < deadline {
            await Task.yield()
            let arrived = ready().0
            idleTurns = arrived > count ? 0 : idleTurns + 1
            count = arrived
        }
    }

    /// The queued requests that join `first`'s batch, in order, each key once; the others stay queued.
    private static func takeBatch(from queue: inout [Waiter], after first: Request, max: Int) -> [Waiter] {
        var keys: Set<String> = first.batchKey.map { [$0] } ?? []
        var taken: [Waiter] = []
        var left: [Waiter] = []
        for waiter in queue {
            if taken.count + 1 < max, waiter.request.batchKey.map({ keys.insert($0).inserted }) ?? true {
                taken.append(waiter)
            } else {
                left.append(waiter)
            }
        }
        queue = left
        return taken
    }

    private static func result(_ results: [Result<Request.Response, any Error>], at index: Int) -> Result<Request.Response, any Error> {
        index < results.count ? results[index] : .failure(GroupCommitError.missingResult(index: index, of: results.count))
    }
}

/// What the flushes of a ``GroupCommit`` carried.
package struct GroupCommitStatistics: Sendable {
    /// Flushes (transactions), the requests they carried, and the most one carried.
    package var batches = 0
    package var requests = 0
    package var largestBatch = 0
}

/// A write that ``GroupCommit`` may commit in one transaction with others.
protocol GroupCommitRequest: Sendable {
    associatedtype Response: Sendable
    /// Requests with the same key are committed one batch after the other; `nil` shares any batch.
    var batchKey: String? { get }
}

/// A flush answered fewer requests than it was given: a defect of the store.
enum GroupCommitError: Error, CustomStringConvertible {
    case missingResult(index: Int, of: Int)

    var description: String {
        switch self {
        case .missingResult(let index, let count): "a group commit returned \(count) results; request \(index) has none"
        }
    }
}
