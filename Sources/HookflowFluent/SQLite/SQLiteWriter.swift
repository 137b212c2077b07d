import Synchronization

/// The store's single connection, used by one caller at a time.
///
/// SQLite executes a checkpoint in microseconds, so callers run their statements
/// directly under a lock rather than hopping to a thread pool: a hop costs more than
/// the transaction. Nothing ever waits for SQLite's own file lock while holding it, or on a
/// thread of Swift's cooperative pool: the connection's `busy_timeout` is 0, and a
/// statement that finds the file locked by another connection (another process, the app's
/// own Fluent connection) is tried again after an asynchronous pause, for up to
/// ``busyTimeout``. WAL mode lets other processes read meanwhile.
final class SQLiteWriter: Sendable {
    private let connection: Mutex<SQLiteHandle?>
    /// How long a statement waits for another connection's write lock before it fails.
    let busyTimeout: Duration

    init(path: String, busyTimeout: Duration = .seconds(5)) throws {
        let connection = try SQLiteHandle(path: path)
        // WAL survives a process crash with synchronous=NORMAL.
        try connection.executeScript("""
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=0; PRAGMA foreign_keys=ON;
            """)
        self.connection = Mutex(connection)
        self.busyTimeout = busyTimeout
    }

    /// Runs `body` with the connection, outside any transaction.
    func read<T: Sendable>(_ body: (SQLiteHandle) throws -> T) async throws -> T {
        try await whileBusy { try self.locked(body) }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE … COMMIT` transaction, rolled back if it throws;
    /// the whole transaction is tried again while another connection holds the write lock.
    func transaction<T: Sendable>(_ body: (SQLiteHandle) throws -> T) async throws -> T {
        try await whileBusy {
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
    }

    /// Closes the connection; later calls throw.
    func close() {
        connection.withLock { $0 = nil }
    }

    private func locked<T: Sendable>(_ body: (SQLiteHandle) throws -> T) throws -> T {
        try connection.withLock { connection in
            guard let connection else { throw SQLiteError(code: 21, message: "the store is closed", sql: nil) }
            return try body(connection)
        }
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
