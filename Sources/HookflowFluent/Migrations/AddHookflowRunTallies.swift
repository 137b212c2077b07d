import FluentKit
import SQLKit

/// Keeps a tally of finished runs by workflow and status (`hookflow_run_tallies`), so that
/// counting a million of them reads a few rows instead of an index. Database triggers keep it,
/// so every writer does (an instance of an older release, a statement by hand); PostgreSQL's
/// spreads each tally over 16 rows, so concurrent completions do not queue on one.
public struct AddHookflowRunTallies: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowRunTallies" }

    /// The statuses counted by tally.
    static let finished = "('completed', 'failed', 'cancelled')"
    /// The others, counted from the runs: they are few, and change at every claim.
    static let live = "('pending', 'queued', 'running', 'sleeping')"

    public func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            guard let sql = database as? any SQLDatabase else { return }
            try await sql.raw("""
                CREATE TABLE hookflow_run_tallies (workflow_id TEXT NOT NULL, status TEXT NOT NULL,
                    shard INTEGER NOT NULL, runs BIGINT NOT NULL, PRIMARY KEY (workflow_id, status, shard))
                """).run()
            for statement in sql.dialect.name == "postgresql" ? Self.postgresTriggers : Self.sqliteTriggers {
                try await sql.raw(SQLQueryString(statement)).run()
            }
            // The runs finished so far; in the triggers' transaction, so none is counted twice or missed.
            try await sql.raw(SQLQueryString("""
                INSERT INTO hookflow_run_tallies (workflow_id, status, shard, runs)
                SELECT workflow_id, status, 0, COUNT(*) FROM hookflow_runs WHERE status IN \(Self.finished)
                GROUP BY workflow_id, status
                """)).run()
        }
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER hookflow_runs_tally ON hookflow_runs").run()
            try await sql.raw("DROP FUNCTION hookflow_tally()").run()
        } else {
            for trigger in ["insert", "leave", "enter", "delete"] {
                try await sql.raw(SQLQueryString("DROP TRIGGER hookflow_tally_\(trigger)")).run()
            }
        }
        try await sql.raw("DROP TABLE hookflow_run_tallies").run()
    }

    /// Adds `change` to the tally of `row`'s (`NEW` or `OLD`) workflow and status.
    private static func sqliteTally(_ row: String, _ change: Int) -> String {
        """
        INSERT INTO hookflow_run_tallies (workflow_id, status, shard, runs) VALUES (\(row).workflow_id, \(row).status, 0, \(change))
        ON CONFLICT (workflow_id, status, shard) DO UPDATE SET runs = runs + \(change);
        """
    }

    private static let sqliteTriggers = [
        "CREATE TRIGGER hookflow_tally_insert AFTER INSERT ON hookflow_runs WHEN NEW.status IN \(finished) BEGIN "
            + sqliteTally("NEW", 1) + " END",
        "CREATE TRIGGER hookflow_tally_leave AFTER UPDATE OF status ON hookflow_runs "
            + "WHEN OLD.status IS NOT NEW.status AND OLD.status IN \(finished) BEGIN " + sqliteTally("OLD", -1) + " END",
        "CREATE TRIGGER hookflow_tally_enter AFTER UPDATE OF status ON hookflow_runs "
            + "WHEN OLD.status IS NOT NEW.status AND NEW.status IN \(finished) BEGIN " + sqliteTally("NEW", 1) + " END",
        "CREATE TRIGGER hookflow_tally_delete AFTER DELETE ON hookflow_runs WHEN OLD.status IN \(finished) BEGIN "
            + sqliteTally("OLD", -1) + " END",
    ]

    private static let postgresTriggers = [
        """
        CREATE FUNCTION hookflow_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN \(finished)
                AND (TG_OP = 'DELETE' OR OLD.status IS DISTINCT FROM NEW.status) THEN
                INSERT INTO hookflow_run_tallies (workflow_id, status, shard, runs)
                VALUES (OLD.workflow_id, OLD.status, floor(random() * 16)::int, -1)
                ON CONFLICT (workflow_id, status, shard) DO UPDATE SET runs = hookflow_run_tallies.runs - 1;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN \(finished)
                AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status) THEN
                INSERT INTO hookflow_run_tallies (workflow_id, status, shard, runs)
                VALUES (NEW.workflow_id, NEW.status, floor(random() * 16)::int, 1)
                ON CONFLICT (workflow_id, status, shard) DO UPDATE SET runs = hookflow_run_tallies.runs + 1;
            END IF;
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER hookflow_runs_tally AFTER INSERT OR UPDATE OF status OR DELETE ON hookflow_runs
        FOR EACH ROW EXECUTE FUNCTION hookflow_tally()
        """,
    ]
}
