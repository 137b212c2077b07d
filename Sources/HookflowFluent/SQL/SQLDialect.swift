/// The SQL the two databases write differently: how a statement names its parameters.
enum SQLDialect {
    case sqlite
    case postgres

    /// The placeholder of the `number`th parameter (from 1): `?1` or `$1`.
    func parameter(_ number: Int) -> String {
        switch self {
        case .sqlite: "?\(number)"
        case .postgres: "$\(number)"
        }
    }

    /// `column` compared byte by byte (UTF-8), as SQLite always compares text: a prefix of an id
    /// is then a range of the index that holds ids that way.
    func bytewise(_ column: String) -> String {
        switch self {
        case .sqlite: column
        case .postgres: "\(column) COLLATE \"C\""
        }
    }

    /// `column` is one of the texts of the list bound to `parameter` (``SQLArgument/texts(_:)``).
    func contains(_ parameter: String, _ column: String) -> String {
        switch self {
        case .sqlite: "\(column) IN (SELECT value FROM json_each(\(parameter)))"
        case .postgres: "\(column) = ANY(\(parameter))"
        }
    }

    /// What a selection of rows to change next adds so that concurrent writers skip rows
    /// another holds (PostgreSQL); SQLite has one writer.
    var skippingLocked: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE SKIP LOCKED"
        }
    }
}
