import Foundation
import Hookflow
import PostgresNIO

/// Listings and counts, for operators and the gauges.
extension PostgresWorkflowStore {
    public func runCounts(now: Date) async throws -> RunCounts? {
        try await operation { [self] connection in
            for try await (runnable, sleeping) in try await connection.query(
                Self.shared(HookflowSQL.runCounts) { $0.append(now) }, logger: logger
            ).decode((Int, Int).self) {
                return RunCounts(runnable: runnable, sleeping: sleeping)
            }
            return RunCounts(runnable: 0, sleeping: 0)
        }
    }

    public func listRuns(_ filter: RunFilter, after cursor: ListCursor?, limit: Int) async throws -> RunPage {
        let listing = RunListing(filter, after: cursor, limit: limit, dialect: .postgres)
        let query = PostgresQuery(unsafeSQL: listing.sql, binds: PostgresBindings(listing.arguments))
        let rows = try await operation { [self] connection in try await runs(query, on: connection) }
        return RunListing.page(rows, limit: limit)
    }

    public func countRunsByStatus() async throws -> [String: [RunStatus: Int]] {
        try await operation { [self] connection in
            var counts: [String: [RunStatus: Int]] = [:]
            let rows = try await connection.query(PostgresQuery(unsafeSQL: HookflowSQL.countRunsByStatus), logger: logger)
            for try await (workflowID, status, count) in rows.decode((String, String, Int).self) {
                counts[workflowID, default: [:]][try Self.status(status)] = count
            }
            return counts
        }
    }
}

extension PostgresBindings {
    /// A shared statement's arguments as PostgreSQL binds them.
    init(_ arguments: [SQLArgument]) {
        self.init()
        for argument in arguments {
            switch argument {
            case .text(let text): append(text)
            case .date(let date): append(date)
            case .integer(let integer): append(integer)
            case .double(let double): append(double)
            case .null: appendNull()
            case .uuid(let uuid): append(uuid)
            case .texts(let texts): append(texts)
            }
        }
    }
}
