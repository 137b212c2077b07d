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
}
