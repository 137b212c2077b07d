import Foundation
import Hookflow

/// A value bound to a statement, before a store turns it into its own kind of parameter.
enum SQLArgument {
    case text(String)
    case date(Date)
    case integer(Int)
    case double(Double)
    /// A NULL, of the type the statement gives it.
    case null
    /// A dead letter's id: a `uuid` in PostgreSQL, its text in SQLite.
    case uuid(UUID)
    /// A list, for ``SQLDialect/contains(_:_:)``.
    case texts([String])
}

/// A statement whose parameters are numbered as they are bound.
struct SQLStatement {
    let dialect: SQLDialect
    private(set) var arguments: [SQLArgument] = []
    /// The statement, written once its parameters are bound.
    var sql = ""

    init(_ dialect: SQLDialect) { self.dialect = dialect }

    /// Binds `argument` and returns its placeholder.
    mutating func bind(_ argument: SQLArgument) -> String {
        arguments.append(argument)
        return dialect.parameter(arguments.count)
    }

    /// The keyset condition of a listing, newest first: entries strictly after `cursor`. Its time
    /// is read from the entry itself while it is there (`keyColumn` = `key`), so the next page
    /// starts exactly after it, whatever precision the cursor's text kept.
    mutating func after(_ cursor: ListCursor, table: String, key: SQLArgument) -> String {
        let id = bind(key)
        let createdAt = bind(.date(cursor.createdAt))
        return "(created_at, id) < (COALESCE((SELECT created_at FROM \(table) WHERE id = \(id)), \(createdAt)), \(id))"
    }

    /// `SELECT columns FROM table WHERE conditions ORDER BY created_at DESC, id DESC LIMIT limit`.
    func newestFirst(_ columns: String, from table: String, where conditions: [String], limit: String) -> String {
        "SELECT \(columns) FROM \(table)" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY created_at DESC, id DESC LIMIT \(limit)"
    }
}
