/// An error SQLite reported, with the statement it came from.
struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    let sql: String?

    /// Another connection holds the lock this statement needs (SQLITE_BUSY, SQLITE_LOCKED and their extended codes).
    var isBusy: Bool { code & 0xFF == 5 || code & 0xFF == 6 }

    var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " in: \($0.prefix(120))" } ?? "")
    }
}
