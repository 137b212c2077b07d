/// An error SQLite reported, with the statement it came from.
struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    let sql: String?

    var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " in: \($0.prefix(120))" } ?? "")
    }
}
