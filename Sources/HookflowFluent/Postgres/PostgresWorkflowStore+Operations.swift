import Foundation
import Hookflow
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

extension PostgresWorkflowStore {
    /// How the listener waits to listen again after its connection was lost.
    static let listenerBackoff = Backoff(first: .milliseconds(400), limit: .seconds(30), jitter: 0.2)
    /// How an operation whose connection was lost waits before it runs again.
    static let reconnectBackoff = Backoff(first: .milliseconds(100), factor: 3, limit: .seconds(1))

    /// Runs `body` on a pooled connection within ``operationTimeout``, again (up to three times)
    /// when the connection it used had been closed (a restarted server, a failover, a network cut)
    /// or it got no answer in time: the pool then opens a new connection. A statement on a closed
    /// connection did not run, a transaction cut before its commit is rolled back, and every
    /// operation is safe to repeat (inserts are keyed, writes are fenced by the lease), so running
    /// it again neither loses nor repeats a checkpoint.
    func operation<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 0
        while true {
            do {
                return try await withDeadline(body)
            } catch where attempt < 3 && (Self.isConnectionLoss(error) || error is PostgresTimeoutError) {
                attempt += 1
                logger.warning("PostgreSQL connection lost; trying again (\(attempt)/3)")
                // A cancelled task (a step that completed while its body unwinds) tries again at once.
                try? await Task.sleep(for: Self.reconnectBackoff.delay(afterFailures: attempt))
            }
        }
    }

    /// Runs `body` on a pooled connection and answers within ``operationTimeout``: a statement
    /// sent on a connection that the server is closing can wait for an answer that never comes,
    /// and a pool whose server is gone waits for a connection. The caller then sees
    /// ``PostgresTimeoutError`` (the engine treats it as an unavailable store: the run's lease runs
    /// out and a worker takes the run over), and the connection is closed.
    private func withDeadline<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let timeout = operationTimeout
        let client = self.client
        let wakeUps = self.wakeUps
        let clientRunning = ownsClient ? self.clientRunning : nil
        return try await withCheckedThrowingContinuation { continuation in
            let answer = Answer(continuation)
            // A task, because PostgresNIO leases nothing to a cancelled caller and can hang a cut statement forever.
            let work = Task {
                do {
                    if let clientRunning, !clientRunning.isOpen {
                        await clientRunning.wait()
                        if answer.isAnswered { throw CancellationError() }
                    }
                    let result = try await client.withConnection { connection in
                        // Answered already (timed out while waiting for a connection): the caller tries again.
                        guard !answer.isAnswered else { throw CancellationError() }
                        do {
                            let result = try await Self.execute(body, on: connection, within: timeout)
                            wakeUps.committed(on: connection)
                            return result
                        } catch {
                            wakeUps.discard(on: connection)
                            throw error
                        }
                    }
                    answer.resume(with: .success(result))
                } catch {
                    answer.resume(with: .failure(error))
                }
            }
            let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
                in: .nanoseconds(HookflowTime.nanoseconds(of: timeout))
            ) {
                answer.resume(with: .failure(PostgresTimeoutError(timeout: timeout)))
                work.cancel()
            }
            answer.onAnswer { timer.cancel() }
        }
    }

    /// Runs `body` on `connection`, closing the connection if it takes longer than `timeout`.
    private static func execute<Result: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> Result, on connection: PostgresConnection,
        within timeout: Duration
    ) async throws -> Result {
        let timedOut = TimedOut()
        let timer = connection.eventLoop.scheduleTask(in: .nanoseconds(HookflowTime.nanoseconds(of: timeout))) {
            timedOut.flag.store(true, ordering: .relaxed)
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenFailure { _ in }
        }
        defer { timer.cancel() }
        do {
            return try await body(connection)
        } catch where timedOut.flag.load(ordering: .relaxed) {
            throw PostgresTimeoutError(timeout: timeout)
        }
    }

    static func isConnectionLoss(_ error: any Error) -> Bool {
        let lost: [PSQLError.Code] = [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown]
        if let error = error as? PSQLError {
            // The server ended the session (shutdown, failover, pg_terminate_backend) or cannot take it yet.
            if error.code == .server, let state = error.serverInfo?[.sqlState] {
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            }
            return lost.contains(error.code)
        }
        if let error = error as? PostgresTransactionError {
            return [error.beginError, error.closureError, error.commitError].contains { $0.map(isConnectionLoss) ?? false }
        }
        return false
    }

    /// Runs `body` in a transaction on `connection`; the body's own errors (a lost lease, a
    /// missing entry) come out as they are.
    func transaction<Result: Sendable>(
        on connection: PostgresConnection, _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        do {
            return try await connection.withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if Self.isConnectionLoss(error) { throw error }
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }
}

/// Whether an operation's deadline passed.
private final class TimedOut: Sendable {
    let flag = Atomic<Bool>(false)
}

/// Resumes an operation's caller once: with its result, or with its timeout, whichever comes
/// first; then runs what was to be done once answered (cancelling the timer).
private final class Answer<Result: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result, any Error>?
        var answered = false
        var then: (@Sendable () -> Void)?
    }

    private let state: Mutex<State>

    init(_ continuation: CheckedContinuation<Result, any Error>) { state = Mutex(State(continuation: continuation)) }

    var isAnswered: Bool { state.withLock { $0.answered } }

    func resume(with result: Swift.Result<Result, any Error>) {
        let (continuation, then) = state.withLock { state -> (CheckedContinuation<Result, any Error>?, (@Sendable () -> Void)?) in
            guard !state.answered else { return (nil, nil) }
            state.answered = true
            defer { (state.continuation, state.then) = (nil, nil) }
            return (state.continuation, state.then)
        }
        continuation?.resume(with: result)
        then?()
    }

    /// Runs `action` once answered: now, if the answer came already.
    func onAnswer(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            guard !state.answered else { return true }
            state.then = action
            return false
        }
        if now { action() }
    }
}

/// A PostgreSQL operation that did not finish within the store's operation timeout.
public struct PostgresTimeoutError: Error, CustomStringConvertible {
    public let timeout: Duration
    public var description: String { "PostgreSQL did not answer within \(timeout)" }
}
