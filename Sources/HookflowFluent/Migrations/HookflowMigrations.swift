import FluentKit
import Logging
import NIOPosix

/// Hookflow's migrations, in order. The stores run them when they open; an app that
/// prefers its own migrator can add them instead (`app.migrations.add(HookflowMigrations.all)`).
public enum HookflowMigrations {
    public static var all: [any Migration] {
        [CreateHookflowTables(), AddHookflowEvents(), AddHookflowPendingIndex(), AddHookflowInvocationGuard(), AddHookflowTraceContext(),
            AddHookflowRunListIndexes(), AddHookflowRunTallies(), AddHookflowCancellation(), AddHookflowStepOrderIndex(),
            AddHookflowRetriedStepsIndex(), AddHookflowStepStartTime(), AddHookflowChildRuns(), AddHookflowWorkflowVersion(),
            AddHookflowSchedules(), AddHookflowFlowControl(), AddHookflowHistoryVersion(), NarrowHookflowEventKeyIndex(),
            DropHookflowStepRunForeignKey(), DropHookflowStepOrderIndex(),
        ]
    }

    /// Runs the migrations not yet applied to the database `configuration` connects to.
    static func run(on configuration: DatabaseConfigurationFactory, logger: Logger) async throws {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(configuration, as: .hookflowMigrations)
        let migrations = Migrations()
        migrations.add(all, to: .hookflowMigrations)
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any(), migrationLogLevel: .debug)
        do {
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        await databases.shutdownAsync()
    }
}

extension DatabaseID {
    /// The Fluent database id under which Hookflow migrates its tables.
    static let hookflowMigrations = DatabaseID(string: "hookflow-migrations")
}
