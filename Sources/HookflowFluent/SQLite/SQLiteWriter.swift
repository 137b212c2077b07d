import Synchronization

/// The store's single connection, used by one caller at a time.
///
/// SQLite executes a checkpoint in microseconds, so callers run their statements
/// directly under a lock rather than hopping to a thread pool: a hop costs more than
/// the transaction. Nothing ever waits for SQLite's own file lock while holding it, or on a
/// thread of Swift's cooperative pool: the connection's `busy_timeout` is 0, and a
/// statement that finds the file locked by another connection (another process, the app's
/// own Fluent connection) is tried again after an asynchronous pause, for up to
/// ``busyTimeout``. Nor does a commit flush the file: with `synchronous=NORMAL` in WAL mode
/// only a checkpoint does, and checkpoints run on a thread of their own
/// (``SQLiteCheckpointer``). WAL mode lets other processes read meanwhile.
final class SQLiteWriter: Sendable {
    private let connection: SQLiteConnectionLock
    private let checkpointer: SQLiteCheckpointer
    /// Transactions that arrive together, committed together.
    let writes: GroupCommit<SQLiteWrite>
    /// How long a statement waits for another connection's write lock before it fails.
    let busyTimeout: Duration

    init(path: String, busyTimeout: Duration = .seconds(5)) async throws {
        let connection = try SQLiteHandle(path: path)
        // WAL survives a process crash with synchronous=NORMAL; checkpoints are the checkpointer's.
        // A WAL that starts over is cut back to 64 MB.
        try connection.executeScript("""
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=0; PRAGMA foreign_keys=ON;
            PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;
            """)
        self.connection = SQLiteConnectionLock(connection)
        self.checkpointer = try await SQLiteCheckpointer(path: path, writer: self.connection)
        self.busyTimeout = busyTimeout
        writes = GroupCommit()
    }

    /// Runs `body` with the connection, outside any transaction.
    func read<T: Sendable>(_ body: (SQLiteHandle) throws -> T) async throws -> T {
        try await Self.whileBusy(busyTimeout) { try self.connection.withConnection(body) }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE … COMMIT` transaction, which the bodies of other callers
    /// ready at the same time may share (``GroupCommit``): each body runs in a savepoint of its own,
    /// rolled back if it throws, and each caller returns once the transaction is committed. The whole
    /// transaction is tried again while another connection holds the write lock.
    ///
    /// `failsBeforeWriting`: `body` throws before it writes anything (a fence read first), or after
    /// writes that may stay without harm (SQLite undoes the failing statement alone); it then runs
    /// without a savepoint of its own, two statements fewer.
    func transaction<T: Sendable>(
        failsBeforeWriting: Bool = false, _ body: @escaping @Sendable (SQLiteHandle) throws -> T
    ) async throws -> T {
        // The write returns what `body` returned.
        try await writes.submit(SQLiteWrite(savepoint: !failsBeforeWriting) { try body($0) }, flush: flush) as! T
    }

    /// Commits `batch` in one transaction.
    private func flush(_ batch: [SQLiteWrite]) async -> [Result<any Sendable, any Error>] {
        do {
            let results = try await Self.whileBusy(busyTimeout) { try connection.withConnection { try Self.commit(batch, on: $0) } }
            checkpointer.committed()
            return results
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    /// Closes the connection after a last checkpoint; later calls throw.
    func close() async {
        connection.close()
        await checkpointer.close()
    }

    /// One transaction for `batch`: a body that throws rolls back its own savepoint (all of the
    /// transaction when it is alone) and fails alone; a busy file, or an error after which SQLite
    /// rolled the transaction back, fails the whole batch, to be tried again.
    private static func commit(_ batch: [SQLiteWrite], on connection: SQLiteHandle) throws -> [Result<any Sendable, any Error>] {
        let shared = batch.count > 1
        try connection.execute("BEGIN IMMEDIATE")
        do {
            var results: [Result<any Sendable, any Error>] = []
            results.reserveCapacity(batch.count)
            for write in batch {
                let savepoint = shared && write.savepoint
                if savepoint { try connection.execute("SAVEPOINT hookflow_write") }
                do {
                    results.append(.success(try write.body(connection)))
                    if savepoint { try connection.execute("RELEASE hookflow_write") }
                } catch let error where !((error as? SQLiteError)?.isBusy ?? false) {
                    guard shared else {
                        try connection.execute("ROLLBACK")
                        return [.failure(error)]
                    }
                    if savepoint {
                        try connection.execute("ROLLBACK TO hookflow_write")
                        try connection.execute("RELEASE hookflow_write")
                    } else if !connection.isInTransaction {
                        throw error
                    }
                    results.append(.failure(error))
                }
            }
            try connection.execute("COMMIT")
            return results
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `attempt` until it does not fail with SQLITE_BUSY or `timeout` has passed,
    /// pausing without holding a thread: 1 ms at first, doubling up to 25 ms.
    private static func whileBusy<T>(_ timeout: Duration, _ attempt: () throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(1)
        while true {
            do {
                return try attempt()
            } catch let error as SQLiteError where error.isBusy && ContinuousClock.now < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(25))
            }
        }
    }
}

/// One caller's transaction body, for ``SQLiteWriter/writes``.
struct SQLiteWrite: GroupCommitRequest {
    typealias Response = any Sendable
    /// Whether the body runs in a savepoint of its own when it shares a transaction.
    let savepoint: Bool
    let body: @Sendable (SQLiteHandle) throws -> any Sendable
    /// Any bodies may share a transaction: they run one after the other, in the order they came.
    var batchKey: String? { nil }
}
