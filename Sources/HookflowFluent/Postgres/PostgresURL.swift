import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL, read once for both the
/// store's client and Fluent's migrator.
struct PostgresURL: Sendable {
    let host: String
    let port: Int
    let username: String
    let password: String?
    let database: String?
    let requireTLS: Bool

    /// Throws ``PostgresURLError`` naming what is wrong; the password never appears in it.
    init(_ text: String) throws {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw PostgresURLError(reason: "expected postgres://user:password@host:port/database") }
        guard let host = components.host, !host.isEmpty else { throw PostgresURLError(reason: "no host") }
        guard let username = components.user, !username.isEmpty else { throw PostgresURLError(reason: "no user") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard ["disable", "prefer", "require", "verify-full"].contains(sslmode) else {
            throw PostgresURLError(reason: "sslmode must be disable, prefer, require or verify-full, got \(sslmode)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = username.removingPercentEncoding ?? username
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = path.isEmpty ? nil : path
        self.requireTLS = sslmode == "require" || sslmode == "verify-full"
    }

    var clientConfiguration: PostgresClient.Configuration {
        get throws {
            let tls: PostgresClient.Configuration.TLS = requireTLS ? .require(.makeClientConfiguration()) : .disable
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls)
            configuration.options.minimumConnections = 0
            configuration.options.maximumConnections = 16
            return configuration
        }
    }

    /// The URL without its password, for log lines.
    var redacted: String { "postgres://\(username)@\(host):\(port)/\(database ?? "")" }
}

/// `HOOKFLOW_DATABASE_URL` is not a PostgreSQL URL the store can use.
public struct PostgresURLError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "not a PostgreSQL URL: \(reason)" }
}
