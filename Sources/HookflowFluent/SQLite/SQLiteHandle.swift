import Foundation
import VaporCSQLite

/// One SQLite connection with its prepared statements. Not thread-safe: ``SQLiteWriter``
/// hands it to one caller at a time.
final class SQLiteHandle {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw SQLiteError(code: code, message: "\(message) (\(path))", sql: nil)
        }
        self.handle = handle
    }

    deinit {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        sqlite_nio_sqlite3_close_v2(handle)
    }

    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ binds: [SQLiteValue] = []) throws {
        let statement = try prepared(sql, binds)
        defer { sqlite_nio_sqlite3_reset(statement) }
        var code = sqlite_nio_sqlite3_step(statement)
        while code == SQLITE_ROW { code = sqlite_nio_sqlite3_step(statement) }
        guard code == SQLITE_DONE else { throw error(code, sql) }
    }

    /// Runs a statement and returns its rows, each a list of column values.
    func query(_ sql: String, _ binds: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try prepared(sql, binds)
        defer { sqlite_nio_sqlite3_reset(statement) }
        var rows: [[SQLiteValue]] = []
        let columns = sqlite_nio_sqlite3_column_count(statement)
        while true {
            let code = sqlite_nio_sqlite3_step(statement)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw error(code, sql) }
            var row: [SQLiteValue] = []
            row.reserveCapacity(Int(columns))
            for column in 0..<columns { row.append(value(statement, column)) }
            rows.append(row)
        }
    }

    /// Whether a transaction is open: SQLite rolls one back by itself after some errors (a full
    /// disk, an I/O error).
    var isInTransaction: Bool { sqlite_nio_sqlite3_get_autocommit(handle) == 0 }

    /// Runs a script of statements without binds (pragmas, DDL).
    func executeScript(_ sql: String) throws {
        let code = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql) }
    }

    private func prepared(_ sql: String, _ binds: [SQLiteValue]) throws -> OpaquePointer {
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
        } else {
            var created: OpaquePointer?
            let code = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &created, nil)
            guard code == SQLITE_OK, let created else { throw error(code, sql) }
            statements[sql] = created
            statement = created
        }
        sqlite_nio_sqlite3_clear_bindings(statement)
        for (index, value) in binds.enumerated() {
            let position = Int32(index + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite_nio_sqlite3_bind_null(statement, position)
            case .integer(let integer): code = sqlite_nio_sqlite3_bind_int64(statement, position, integer)
            case .real(let real): code = sqlite_nio_sqlite3_bind_double(statement, position, real)
            case .text(let text): code = Self.bind(text, to: statement, at: position)
            }
            guard code == SQLITE_OK else { throw error(code, sql) }
        }
        return statement
    }

    /// Binds `text` by its length in bytes, so that a NUL inside it is stored, not an end.
    private static func bind(_ text: String, to statement: OpaquePointer, at position: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // An empty buffer may have no address; SQLite would bind NULL for it.
                guard let base = chars.baseAddress else {
                    return sqlite_nio_sqlite3_bind_text(statement, position, "", 0, transient)
                }
                return sqlite_nio_sqlite3_bind_text(statement, position, base, Int32(chars.count), transient)
            }
        }
    }

    private func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteValue {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite_nio_sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_NULL: return .null
        default:
            // By length: a NUL stored inside the text is part of it.
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }

    private func error(_ code: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)), sql: sql)
    }
}
