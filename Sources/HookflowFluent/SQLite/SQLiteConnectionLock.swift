import Synchronization

/// The store's one write connection behind its lock, shared by the writer, which runs
/// statements under it, and the checkpointer, which holds it to finish a checkpoint.
final class SQLiteConnectionLock: Sendable {
    private let connection: Mutex<SQLiteHandle?>

    init(_ connection: sending SQLiteHandle) {
        self.connection = Mutex(connection)
    }

    /// Runs `body` with the connection while no one else uses it; throws once it is closed.
    func withConnection<T: Sendable>(_ body: (SQLiteHandle) throws -> T) throws -> T {
        try connection.withLock { connection in
            guard let connection else { throw SQLiteError(code: 21, message: "the store is closed", sql: nil) }
            return try body(connection)
        }
    }

    /// Runs `body` while no statement runs on the connection, open or closed.
    func excludingWrites<T: Sendable>(_ body: () -> T) -> T {
        connection.withLock { _ in body() }
    }

    /// Closes the connection: later calls throw.
    func close() {
        connection.withLock { $0 = nil }
    }
}
