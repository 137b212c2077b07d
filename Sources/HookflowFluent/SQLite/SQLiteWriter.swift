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
    }

    /// Runs `body` with the connection, outside any transaction.
    func read<T: Sendable>(_ body: (SQLiteHandle) throws -> T) async throws -> T {
        try await whileBusy { try self.locked(body) }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE … COMMIT` transaction, rolled back if it throws;
    /// the whole transaction is tried again while another connection holds the write lock.
    func transaction<T: Sendable>(_ body: (SQLiteHandle) throws -> T) async throws -> T {
        let result = try await whileBusy {
            try self.locked { connection in
                try connection.execute("BEGIN IMMEDIATE")
                do {
                    let result = try body(connection)
                    try connection.execute("COMMIT")
                    return result
                } catch {
                    try? connection.execute("ROLLBACK")
                    throw error
                }
            }
        }
        checkpointer.committed()
        return result
    }

    /// Closes the connection after a last checkpoint; later calls throw.
    func close() async {
        connection.close()
        await checkpointer.close()
    }

    private func locked<T: Sendable>(_ body: (SQLiteHandle) throws -> T) throws -> T {
        try connection.withConnection(body)
    }

    /// Runs `attempt` until it does not fail with SQLITE_BUSY or ``busyTimeout`` has passed,
    /// pausing without holding a thread: 1 ms at first, doubling up to 25 ms.
    private func whileBusy<T>(_ attempt: () throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + busyTimeout
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
