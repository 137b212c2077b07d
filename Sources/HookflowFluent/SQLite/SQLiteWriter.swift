import Synchronization

/// The store's single connection, used by one caller at a time.
///
/// SQLite executes a checkpoint in microseconds, so callers run their statements
/// directly under a lock rather than hopping to a thread pool: a hop costs more than
/// the transaction. WAL mode lets other processes read meanwhile.
final class SQLiteWriter: Sendable {
    private let connection: Mutex<SQLiteHandle?>

    init(path: String) throws {
        let connection = try SQLiteHandle(path: path)
        // WAL survives a process crash with synchronous=NORMAL; busy_timeout covers another process on the same file.
        try connection.executeScript("""
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;
            """)
        self.connection = Mutex(connection)
    }

    /// Runs `body` with the connection, outside any transaction.
    func read<T: Sendable>(_ body: (SQLiteHandle) throws -> T) throws -> T {
        try connection.withLock { connection in
            guard let connection else { throw SQLiteError(code: 21, message: "the store is closed", sql: nil) }
            return try body(connection)
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE … COMMIT` transaction, rolled back if it throws.
    func transaction<T: Sendable>(_ body: (SQLiteHandle) throws -> T) throws -> T {
        try read { connection in
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

    /// Closes the connection; later calls throw.
    func close() {
        connection.withLock { $0 = nil }
    }
}
