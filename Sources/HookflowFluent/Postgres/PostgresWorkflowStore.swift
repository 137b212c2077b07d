import FluentKit
import FluentPostgresDriver
import Foundation
import Hookflow
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import Synchronization

/// The shared store: PostgreSQL, for several app instances working on the same runs.
///
/// Instances claim runs with `FOR UPDATE SKIP LOCKED`, so none waits on another's locks,
/// and every write after a claim is fenced by the lease. Work that becomes runnable now
/// (a trigger, a release, an event, a replayed dead letter) is announced to all of them
/// with `NOTIFY`, so an idle instance starts at once instead of at its next look.
/// The tables are the same as SQLite's, created by the same Fluent migrations.
public final class PostgresWorkflowStore: WakeAnnouncingStore {
    /// The database, without its password.
    public let location: String
    /// The longest one store operation may take before it fails.
    public let operationTimeout: Duration
    let client: PostgresClient
    private let logger: Logger
    private let running: Task<Void, Never>
    private let listening: Task<Void, Never>
    private let announcements: AsyncStream<Date?>

    static let channel = "hookflow_wake"

    private init(url: PostgresURL, operationTimeout: Duration, logger: Logger) throws {
        self.location = url.redacted
        self.operationTimeout = operationTimeout
        self.logger = logger
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        self.client = client
        self.running = Task { await client.run() }
        let (stream, continuation) = AsyncStream.makeStream(of: Date?.self, bufferingPolicy: .bufferingNewest(64))
        self.announcements = stream
        self.listening = Task { await Self.listen(client: client, logger: logger, into: continuation) }
    }

    /// Connects to the database at `url` (`postgres://user:password@host:port/database`) and
    /// migrates its tables; instances starting together migrate one at a time.
    /// An operation that takes longer than `operationTimeout` fails.
    public static func open(
        url: String, operationTimeout: Duration = .seconds(10), logger: Logger = Logger(label: "hookflow.postgres")
    ) async throws -> PostgresWorkflowStore {
        let parsed = try PostgresURL(url)
        if let warning = parsed.weakTLSWarning { logger.warning("\(warning)") }
        let store = try PostgresWorkflowStore(url: parsed, operationTimeout: operationTimeout, logger: logger)
        do {
            try await store.migrate(parsed)
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// `url` without its password; throws ``PostgresURLError`` when it is not a usable PostgreSQL URL.
    public static func redacted(url: String) throws -> String {
        try PostgresURL(url).redacted
    }

    /// The connection the store makes to `url`, for a Fluent database on the same tables
    /// (TLS and server-side timeouts as the store sets them).
    public static func fluentConfiguration(url: String) throws -> SQLPostgresConfiguration {
        try PostgresURL(url).fluentConfiguration
    }

    /// Stops listening and closes the connections. The store must not be used afterwards.
    public func close() async {
        listening.cancel()
        running.cancel()
        await listening.value
        await running.value
    }

    private func migrate(_ parsed: PostgresURL) async throws {
        // A session lock: instances starting at once would race to create the tables.
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(7262873)", logger: logger)
            do {
                try await HookflowMigrations.run(on: .postgres(configuration: try parsed.fluentConfiguration), logger: logger)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(7262873)", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(7262873)", logger: logger)
        }
    }

    /// Listens on the wake channel for as long as the store is open, reconnecting with back-off.
    private static func listen(
        client: PostgresClient, logger: Logger, into continuation: AsyncStream<Date?>.Continuation
    ) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        failures = 0
                        // Work may have been announced while no one listened.
                        continuation.yield(nil)
                        for try await notification in notifications {
                            continuation.yield(Double(notification.payload).map { Date(timeIntervalSince1970: $0 / 1000) })
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                failures += 1
                let delay = min(30.0, 0.2 * pow(2, Double(min(failures, 8))))
                logger.warning("PostgreSQL wake-up channel lost; listening again in \(delay)s: \(error)")
                try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            }
        }
        continuation.finish()
    }

    public func wakeAnnouncements() -> AsyncStream<Date?> { announcements }

    /// Announces work to every instance when the transaction commits (`NOTIFY` is transactional).
    private func announce(_ date: Date?, on connection: PostgresConnection) async throws {
        let payload = date.map { String(HookflowTime.milliseconds(since1970: $0)) } ?? ""
        try await connection.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
    }

    // MARK: WorkflowStore

    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        try await reconnecting { [self] in
            try await transaction { connection in
                let inserted = try await connection.query("""
                    INSERT INTO hookflow_runs (id, workflow_id, status, data, created_at, updated_at)
                    VALUES (\(runID.rawValue), \(workflowID), 'pending', \(input), \(now), \(now))
                    ON CONFLICT (id) DO NOTHING RETURNING id
                    """, logger: logger).collect()
                if !inserted.isEmpty {
                    try await announce(nil, on: connection)
                    return (workflowID, .pending, input, true)
                }
                for try await (existing, status, data) in try await connection.query(
                    "SELECT workflow_id, status, data FROM hookflow_runs WHERE id = \(runID.rawValue)", logger: logger
                ).decode((String, String, String).self) {
                    return (existing, try Self.status(status), data, false)
                }
                throw StoreDataError(column: "id", value: runID.rawValue)
            }
        }
    }

    public func claimNextRun(
        owner: String, leaseUntil: Date, now: Date, workflowIDs: [String]?
    ) async throws -> RunRecord? {
        let anyWorkflow = workflowIDs == nil
        let only = workflowIDs ?? []
        return try await reconnecting { [self] in
            try await runs("""
                UPDATE hookflow_runs SET status = 'running', lease_owner = \(owner), lease_until = \(leaseUntil),
                    updated_at = \(now), unfinished_invocations = unfinished_invocations + 1
                -- Due sleepers and dead workers' runs first, oldest first; then new runs in order.
                -- COALESCE stops at the first branch that finds an unlocked run.
                WHERE id = COALESCE(
                    (SELECT id FROM hookflow_runs WHERE status = 'sleeping' AND wake_at <= \(now)
                        AND (\(anyWorkflow) OR workflow_id = ANY(\(only)))
                        ORDER BY wake_at LIMIT 1 FOR UPDATE SKIP LOCKED),
                    (SELECT id FROM hookflow_runs WHERE status = 'running' AND lease_until < \(now)
                        AND (\(anyWorkflow) OR workflow_id = ANY(\(only)))
                        ORDER BY lease_until LIMIT 1 FOR UPDATE SKIP LOCKED),
                    (SELECT id FROM hookflow_runs WHERE status = 'pending'
                        AND (\(anyWorkflow) OR workflow_id = ANY(\(only)))
                        ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED))
                RETURNING \(unescaped: Self.runColumns)
                """).first
        }
    }

    public func claimRun(
        _ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date, wakingBy: Date
    ) async throws -> RunRecord? {
        try await reconnecting { [self] in
            try await runs("""
                UPDATE hookflow_runs SET status = 'running', lease_owner = \(owner), lease_until = \(leaseUntil),
                    updated_at = \(now), unfinished_invocations = unfinished_invocations + 1
                WHERE id = \(runID.rawValue) AND (status = 'pending' OR (status = 'sleeping' AND wake_at <= \(wakingBy))
                    OR (status = 'running' AND lease_until < \(now)))
                RETURNING \(unescaped: Self.runColumns)
                """).first
        }
    }

    public func steps(of runID: WorkflowRunID) async throws -> [StepRecord] {
        try await reconnecting { [self] in
            var steps: [StepRecord] = []
            let rows = try await client.query("""
                SELECT step_id, kind, status, result, error_message, attempts, sequence, wake_at, executed_at, event_key
                FROM hookflow_steps WHERE run_id = \(runID.rawValue) ORDER BY sequence
                """, logger: logger)
            for try await row in rows.decode(
                (String, String, String, String?, String?, Int, Int, Date?, Date, String?).self)
            {
                guard let kind = StepKind(rawValue: row.1) else { throw StoreDataError(column: "kind", value: row.1) }
                guard let status = StepStatus(rawValue: row.2) else { throw StoreDataError(column: "status", value: row.2) }
                steps.append(StepRecord(
                    stepID: row.0, kind: kind, status: status, result: row.3, errorMessage: row.4, attempts: row.5,
                    sequence: row.6, wakeAt: row.7, eventKey: row.9, executedAt: row.8))
            }
            return steps
        }
    }

    public func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, now: Date
    ) async throws {
        if case .keepRunning(let leaseUntil) = transition {
            return try await checkpoint(runID: runID, owner: owner, step: step, leaseUntil: leaseUntil, now: now)
        }
        try await reconnecting { [self] in
            try await transaction { connection in
                // The fence, which also locks the run's row until the commit.
                var fenced: (String, String)?
                for try await row in try await connection.query("""
                    UPDATE hookflow_runs SET updated_at = \(now), unfinished_invocations = 0
                    WHERE id = \(runID.rawValue) AND lease_owner = \(owner) AND status = 'running'
                    RETURNING workflow_id, data
                    """, logger: logger).decode((String, String).self)
                {
                    fenced = row
                }
                guard let (workflowID, input) = fenced else { throw LeaseLostError(runID: runID) }
                if let step {
                    try await connection.query("""
                        INSERT INTO hookflow_steps (id, run_id, step_id, kind, status, result, error_message, attempts,
                            sequence, wake_at, executed_at, event_key)
                        VALUES (\(UUID()), \(runID.rawValue), \(step.stepID), \(step.kind.rawValue), \(step.status.rawValue),
                            \(step.result), \(step.errorMessage), \(step.attempts), \(step.sequence), \(step.wakeAt),
                            \(step.executedAt), \(step.eventKey))
                        ON CONFLICT (run_id, step_id) DO UPDATE SET status = excluded.status, result = excluded.result,
                            error_message = excluded.error_message, attempts = excluded.attempts,
                            wake_at = excluded.wake_at, executed_at = excluded.executed_at, event_key = excluded.event_key
                        """, logger: logger)
                }
                switch transition {
                case .keepRunning:
                    break  // handled by `checkpoint`, above
                case .suspend(let wakeAt):
                    // Serialises with the delivery of the events of all the run's waits (see deliverEvent),
                    // this one's and those written beside it: each event is seen here, or sees the run asleep.
                    try await connection.query("""
                        SELECT pg_advisory_xact_lock(hashtext(key)) FROM (
                            SELECT DISTINCT event_key AS key FROM hookflow_steps
                            WHERE run_id = \(runID.rawValue) AND status = 'waiting' AND event_key IS NOT NULL
                            ORDER BY 1) AS waits
                        """, logger: logger)
                    // An event delivered while the run was executing makes it due at once.
                    var due: Date?
                    for try await (wake) in try await connection.query("""
                        UPDATE hookflow_runs SET status = 'sleeping', lease_owner = NULL, lease_until = NULL,
                            wake_at = CASE WHEN EXISTS (
                                SELECT 1 FROM hookflow_steps s JOIN hookflow_events e ON e.key = s.event_key
                                WHERE s.run_id = \(runID.rawValue) AND s.status = 'waiting'
                                    AND e.created_at >= \(SQLiteWorkflowStore.eventsKeptSince(now))) THEN \(now) ELSE \(wakeAt) END
                        WHERE id = \(runID.rawValue) RETURNING wake_at
                        """, logger: logger).decode(Date.self)
                    {
                        due = wake
                    }
                    // A future wake is this instance's own timer's to keep (the others look once per lease);
                    // only a run made due at once by its event is announced.
                    if let due, due < wakeAt { try await announce(nil, on: connection) }
                case .release:
                    try await connection.query("""
                        UPDATE hookflow_runs SET status = 'pending', wake_at = NULL, lease_owner = NULL, lease_until = NULL
                        WHERE id = \(runID.rawValue)
                        """, logger: logger)
                    try await announce(nil, on: connection)
                case .complete(let result):
                    try await connection.query("""
                        UPDATE hookflow_runs SET status = 'completed', result = \(result), completed_at = \(now),
                            wake_at = NULL, lease_owner = NULL, lease_until = NULL
                        WHERE id = \(runID.rawValue)
                        """, logger: logger)
                case .fail(let stepID, let error):
                    try await connection.query("""
                        UPDATE hookflow_runs SET status = 'failed', error_message = \(error), completed_at = \(now),
                            wake_at = NULL, lease_owner = NULL, lease_until = NULL
                        WHERE id = \(runID.rawValue)
                        """, logger: logger)
                    try await connection.query("""
                        INSERT INTO hookflow_dead_letters (id, run_id, workflow_id, step_id, data, error_message, created_at)
                        VALUES (\(UUID()), \(runID.rawValue), \(workflowID), \(stepID), \(input), \(error), \(now))
                        """, logger: logger)
                }
            }
        }
    }

    /// The hot path, a step completed while the run goes on: one statement, one round trip.
    /// The fence extends the lease and the step is written only if the fence matched.
    private func checkpoint(
        runID: WorkflowRunID, owner: String, step: StepRecord?, leaseUntil: Date, now: Date
    ) async throws {
        try await reconnecting { [self] in
            let query: PostgresQuery
            if let step {
                query = """
                    WITH fence AS (
                        UPDATE hookflow_runs SET lease_until = GREATEST(lease_until, \(leaseUntil)), updated_at = \(now),
                            unfinished_invocations = 1
                        WHERE id = \(runID.rawValue) AND lease_owner = \(owner) AND status = 'running' RETURNING id)
                    INSERT INTO hookflow_steps (id, run_id, step_id, kind, status, result, error_message, attempts,
                        sequence, wake_at, executed_at, event_key)
                    SELECT \(UUID()), id, \(step.stepID), \(step.kind.rawValue), \(step.status.rawValue), \(step.result),
                        \(step.errorMessage), \(step.attempts), \(step.sequence), \(step.wakeAt), \(step.executedAt),
                        \(step.eventKey)
                    FROM fence
                    ON CONFLICT (run_id, step_id) DO UPDATE SET status = excluded.status, result = excluded.result,
                        error_message = excluded.error_message, attempts = excluded.attempts,
                        wake_at = excluded.wake_at, executed_at = excluded.executed_at, event_key = excluded.event_key
                    RETURNING 1
                    """
            } else {
                query = """
                    UPDATE hookflow_runs SET lease_until = GREATEST(lease_until, \(leaseUntil)), updated_at = \(now)
                    WHERE id = \(runID.rawValue) AND lease_owner = \(owner) AND status = 'running' RETURNING 1
                    """
            }
            let written = try await client.query(query, logger: logger).collect()
            guard !written.isEmpty else { throw LeaseLostError(runID: runID) }
        }
    }

    public func recordInvocationFailure(runID: WorkflowRunID, owner: String, error: String, retryAt: Date) async throws {
        _ = try await reconnecting { [self] in
            try await client.query("""
                UPDATE hookflow_runs SET last_invocation_error = \(error), lease_until = \(retryAt)
                WHERE id = \(runID.rawValue) AND lease_owner = \(owner) AND status = 'running'
                """, logger: logger)
        }
    }

    public func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord] {
        try await reconnecting { [self] in
            try await transaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
                try await connection.query("""
                    INSERT INTO hookflow_events (id, key, payload, created_at) VALUES (\(UUID()), \(key), \(payload), \(now))
                    """, logger: logger)
                try await connection.query(
                    "DELETE FROM hookflow_events WHERE created_at < \(SQLiteWorkflowStore.eventsKeptSince(now))",
                    logger: logger)
                let woken = try await Self.decodeRuns(try await connection.query("""
                    UPDATE hookflow_runs SET wake_at = \(now), updated_at = \(now)
                    WHERE status = 'sleeping' AND id IN (
                        SELECT run_id FROM hookflow_steps WHERE event_key = \(key) AND status = 'waiting')
                    RETURNING \(unescaped: Self.runColumns)
                    """, logger: logger))
                if !woken.isEmpty { try await announce(nil, on: connection) }
                return woken
            }
        }
    }

    public func event(key: String, now: Date) async throws -> String? {
        try await reconnecting { [self] in
            for try await payload in try await client.query("""
                SELECT payload FROM hookflow_events WHERE key = \(key) AND created_at >= \(SQLiteWorkflowStore.eventsKeptSince(now))
                ORDER BY created_at DESC LIMIT 1
                """, logger: logger
            ).decode(String.self) {
                return payload
            }
            return nil
        }
    }

    public func overdueRuns(before: Date, limit: Int, workflowIDs: [String]?) async throws -> [RunRecord] {
        let anyWorkflow = workflowIDs == nil
        let only = workflowIDs ?? []
        return try await reconnecting { [self] in
            // Each branch walks its own (status, time) index.
            try await runs("""
                (SELECT \(unescaped: Self.runColumns) FROM hookflow_runs WHERE status = 'sleeping' AND wake_at < \(before)
                    AND (\(anyWorkflow) OR workflow_id = ANY(\(only))) ORDER BY wake_at LIMIT \(limit))
                UNION ALL
                (SELECT \(unescaped: Self.runColumns) FROM hookflow_runs WHERE status = 'running' AND lease_until < \(before)
                    AND (\(anyWorkflow) OR workflow_id = ANY(\(only))) ORDER BY lease_until LIMIT \(limit))
                UNION ALL
                (SELECT \(unescaped: Self.runColumns) FROM hookflow_runs WHERE status = 'pending' AND updated_at < \(before)
                    AND (\(anyWorkflow) OR workflow_id = ANY(\(only))) ORDER BY created_at LIMIT \(limit))
                LIMIT \(limit)
                """)
        }
    }

    public func nextWakeTime(after date: Date) async throws -> Date? {
        try await reconnecting { [self] in
            for try await next in try await client.query("""
                SELECT LEAST(
                    (SELECT MIN(wake_at) FROM hookflow_runs WHERE status = 'sleeping' AND wake_at > \(date)),
                    (SELECT MIN(lease_until) FROM hookflow_runs WHERE status = 'running' AND lease_until > \(date)))
                """, logger: logger).decode(Date?.self)
            {
                return next
            }
            return nil
        }
    }

    public func run(_ runID: WorkflowRunID) async throws -> RunRecord? {
        try await reconnecting { [self] in
            try await runs("SELECT \(unescaped: Self.runColumns) FROM hookflow_runs WHERE id = \(runID.rawValue)").first
        }
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetterRecord] {
        try await reconnecting { [self] in
            var letters: [DeadLetterRecord] = []
            let rows = try await client.query("""
                SELECT id, run_id, workflow_id, step_id, data, error_message, created_at, replayed_at
                FROM hookflow_dead_letters ORDER BY created_at DESC LIMIT \(limit)
                """, logger: logger)
            for try await row in rows.decode((UUID, String, String, String?, String, String, Date, Date?).self) {
                letters.append(DeadLetterRecord(
                    id: row.0.uuidString, runID: WorkflowRunID(row.1), workflowID: row.2, stepID: row.3, input: row.4,
                    errorMessage: row.5, createdAt: row.6, replayedAt: row.7))
            }
            return letters
        }
    }

    public func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord {
        try await reconnecting { [self] in
            guard let letterID = UUID(uuidString: id) else { throw DeadLetterNotFoundError(id: id) }
            return try await transaction { connection in
                var entry: (String, String?)?
                for try await row in try await connection.query("""
                    SELECT run_id, step_id FROM hookflow_dead_letters WHERE id = \(letterID) AND replayed_at IS NULL
                    FOR UPDATE
                    """, logger: logger).decode((String, String?).self)
                {
                    entry = row
                }
                guard let (runID, stepID) = entry else { throw DeadLetterNotFoundError(id: id) }
                guard let run = try await Self.decodeRuns(try await connection.query("""
                    UPDATE hookflow_runs SET status = 'pending', error_message = NULL, completed_at = NULL, wake_at = NULL,
                        lease_owner = NULL, lease_until = NULL, updated_at = \(now), unfinished_invocations = 0,
                        last_invocation_error = NULL
                    WHERE id = \(runID) AND status = 'failed'
                    RETURNING \(unescaped: Self.runColumns)
                    """, logger: logger)).first
                else { throw DeadLetterNotFoundError(id: id) }
                if let stepID {
                    try await connection.query("""
                        UPDATE hookflow_steps SET status = 'retrying', attempts = 0
                        WHERE run_id = \(runID) AND step_id = \(stepID) AND status = 'failed'
                        """, logger: logger)
                }
                try await connection.query(
                    "UPDATE hookflow_dead_letters SET replayed_at = \(now) WHERE id = \(letterID)", logger: logger)
                try await announce(nil, on: connection)
                return run
            }
        }
    }

    /// Runs `body` again, up to three times, when the connection it used had been closed
    /// (a restarted server, a failover, a network cut) or it got no answer in time: the pool
    /// then opens a new connection. A statement on a closed connection did not run, a
    /// transaction cut before its commit is rolled back, and every operation is safe to
    /// repeat (inserts are keyed, writes are fenced by the lease), so running it again
    /// neither loses nor repeats a checkpoint.
    private func reconnecting<Result: Sendable>(
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        var attempt = 0
        while true {
            do {
                return try await withDeadline(body)
            } catch where attempt < 3 && (Self.isConnectionLoss(error) || error is PostgresTimeoutError) {
                attempt += 1
                logger.warning("PostgreSQL connection lost; trying again (\(attempt)/3)")
                try await Task.sleep(for: .milliseconds(100 * attempt * attempt))
            }
        }
    }

    /// Runs `body`, giving up after ``operationTimeout``: a statement sent on a connection that
    /// the server is closing can wait for an answer that never comes. The caller then sees
    /// ``PostgresTimeoutError`` (the engine treats it as an unavailable store: the run's lease
    /// runs out and a worker takes the run over); `body` is cancelled and left behind.
    private func withDeadline<Result: Sendable>(
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let timeout = operationTimeout
        let tasks = Mutex<(work: Task<Void, Never>?, timer: Task<Void, Never>?, resumed: Bool)>((nil, nil, false))
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                // Resumes once: with the body's outcome or the timeout, whichever comes first; the other is cancelled.
                let finish: @Sendable (Swift.Result<Result, any Error>) -> Void = { outcome in
                    let pending = tasks.withLock { state -> (Task<Void, Never>?, Task<Void, Never>?)? in
                        guard !state.resumed else { return nil }
                        state.resumed = true
                        return (state.work, state.timer)
                    }
                    guard let (work, timer) = pending else { return }
                    continuation.resume(with: outcome)
                    timer?.cancel()
                    if case .failure(let error) = outcome, error is PostgresTimeoutError { work?.cancel() }
                }
                let work = Task {
                    do { finish(.success(try await body())) } catch { finish(.failure(error)) }
                }
                let timer = Task {
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    finish(.failure(PostgresTimeoutError(timeout: timeout)))
                }
                tasks.withLock { state in
                    state.work = work
                    state.timer = timer
                }
                // The body may have finished before the tasks were recorded.
                if tasks.withLock({ $0.resumed }) { timer.cancel() }
            }
        } onCancel: {
            let (work, timer) = tasks.withLock { ($0.work, $0.timer) }
            work?.cancel()
            timer?.cancel()
        }
    }

    static func isConnectionLoss(_ error: any Error) -> Bool {
        let lost: [PSQLError.Code] = [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown]
        if let error = error as? PSQLError {
            // The server ended the session (shutdown, failover, pg_terminate_backend) or cannot take it yet.
            if error.code == .server, let state = error.serverInfo?[.sqlState] {
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            }
            return lost.contains(error.code)
        }
        if let error = error as? PostgresTransactionError {
            return [error.beginError, error.closureError, error.commitError].contains { $0.map(isConnectionLoss) ?? false }
        }
        return false
    }

    /// Runs `body` in a transaction; the body's own errors (a lost lease, a missing entry) come out as they are.
    private func transaction<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if Self.isConnectionLoss(error) { throw error }
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }

    // MARK: Rows

    private static let runColumns =
        "id, workflow_id, status, data, result, error_message, wake_at, created_at, completed_at, lease_until, "
        + "unfinished_invocations, last_invocation_error"

    private func runs(_ query: PostgresQuery) async throws -> [RunRecord] {
        try await Self.decodeRuns(try await client.query(query, logger: logger))
    }

    private static func decodeRuns(_ rows: PostgresRowSequence) async throws -> [RunRecord] {
        var runs: [RunRecord] = []
        for try await row in rows.decode(
            (String, String, String, String, String?, String?, Date?, Date, Date?, Date?, Int, String?).self)
        {
            runs.append(RunRecord(
                runID: WorkflowRunID(row.0), workflowID: row.1, status: try status(row.2), input: row.3, result: row.4,
                errorMessage: row.5, wakeAt: row.6, leaseUntil: row.9, createdAt: row.7, completedAt: row.8,
                unfinishedInvocations: row.10, lastInvocationError: row.11))
        }
        return runs
    }

    private static func status(_ text: String) throws -> RunStatus {
        guard let status = RunStatus(rawValue: text) else { throw StoreDataError(column: "status", value: text) }
        return status
    }
}

/// A PostgreSQL operation that did not finish within the store's operation timeout.
public struct PostgresTimeoutError: Error, CustomStringConvertible {
    public let timeout: Duration
    public var description: String { "PostgreSQL did not answer within \(timeout)" }
}
