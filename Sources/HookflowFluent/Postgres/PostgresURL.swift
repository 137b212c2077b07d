import Foundation
import NIOSSL
import PostgresKit
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL, read once for the store's
/// client, Fluent's migrator and the app's `.hookflow` Fluent database, so that all three
/// connect the same way.
struct PostgresURL: Sendable {
    let host: String
    let port: Int
    let username: String
    let password: String?
    let database: String?
    let sslmode: String

    /// Throws ``PostgresURLError`` naming what is wrong; the password never appears in it.
    init(_ text: String) throws {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw PostgresURLError(reason: "expected postgres://user:password@host:port/database") }
        guard let host = components.host, !host.isEmpty else { throw PostgresURLError(reason: "no host") }
        guard let username = components.user, !username.isEmpty else { throw PostgresURLError(reason: "no user") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        // On this machine, libpq's default (TLS when the server offers it); across a network, a
        // verified certificate, unless the URL says otherwise.
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value
            ?? (Self.isLoopback(host) ? "prefer" : "verify-full")
        guard ["disable", "prefer", "require", "verify-full"].contains(sslmode) else {
            throw PostgresURLError(reason: "sslmode must be disable, prefer, require or verify-full, got \(sslmode)")
        }
        self.host = host
        self.port = components.port ?? 5432
        // URLComponents decodes user and password already.
        self.username = username
        self.password = components.password
        self.database = path.isEmpty ? nil : path
        self.sslmode = sslmode
    }

    /// TLS as libpq's `sslmode` means it: `prefer` tries it, `require` encrypts without
    /// checking the certificate, `verify-full` checks it and the host name.
    private var tlsChoice: (mode: String, context: TLSConfiguration) {
        var context = TLSConfiguration.makeClientConfiguration()
        if sslmode != "verify-full" { context.certificateVerification = .none }
        return (sslmode, context)
    }

    var tls: PostgresConnection.Configuration.TLS {
        get throws {
            let (mode, context) = tlsChoice
            switch mode {
            case "disable": return .disable
            case "prefer": return .prefer(try NIOSSLContext(configuration: context))
            default: return .require(try NIOSSLContext(configuration: context))
            }
        }
    }

    var clientTLS: PostgresClient.Configuration.TLS {
        let (mode, context) = tlsChoice
        switch mode {
        case "disable": return .disable
        case "prefer": return .prefer(context)
        default: return .require(context)
        }
    }

    /// Server-side limits, so that a client that vanished mid-transaction does not hold a
    /// run's row lock until TCP gives up, and no statement waits on a lock for long.
    static let sessionSettings = [
        ("idle_in_transaction_session_timeout", "60000"), ("lock_timeout", "10000"), ("statement_timeout", "30000"),
    ]

    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: clientTLS)
        // The pool arms an idle timer and a keep-alive timer each time it takes a connection back,
        // and a cancelled timer is only freed at its deadline: one per operation, kept for a minute,
        // cost 60 MB and most of the idle CPU after a burst. Connections up to the minimum have no
        // idle timer, and none has a keep-alive (a lost connection fails its operation, which runs again).
        configuration.options.minimumConnections = 8
        configuration.options.maximumConnections = 16
        configuration.options.keepAliveBehavior = nil
        configuration.options.additionalStartupParameters = Self.sessionSettings
        return configuration
    }

    /// The same connection for Fluent (the migrator, and the app's `.hookflow` database).
    var fluentConfiguration: SQLPostgresConfiguration {
        get throws {
            var core = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: try tls)
            core.options.additionalStartupParameters = Self.sessionSettings
            return SQLPostgresConfiguration(coreConfiguration: core)
        }
    }

    /// The URL without its password, for log lines.
    var redacted: String { "postgres://\(username)@\(host):\(port)/\(database ?? "")?sslmode=\(sslmode)" }

    /// Why this connection is weaker than it looks, when it is: TLS whose certificate is not
    /// checked (or none) to a server across a network.
    var weakTLSWarning: String? {
        guard !Self.isLoopback(host), sslmode != "verify-full" else { return nil }
        return "the PostgreSQL URL has sslmode=\(sslmode) for \(host): the server's certificate is not verified, "
            + "so a machine in between can read the connection; use sslmode=verify-full"
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" || host.hasPrefix("/")
    }
}

/// A URL given to the PostgreSQL store is not one it can use.
public struct PostgresURLError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "not a PostgreSQL URL: \(reason)" }
}
