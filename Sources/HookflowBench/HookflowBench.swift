import ArgumentParser
import Foundation

/// `swift run -c release hookflow-bench`: the embedded engine's speed, against the floor of SQLite itself.
@main
struct HookflowBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookflow-bench",
        abstract: "Measures the embedded engine (real store, real workers, real SQLite file in WAL mode).",
        discussion: """
            Scenarios: steps, latency, long-run, sleepers, wakeup, checkpoint-floor, operations (listing and \
            counting a million stored runs), composition (a fan-out of steps against the same in sequence, and \
            what a child run costs over an inline step), long-history (what a wake-up costs after 10,000 steps). Each prints one row \
            (steps: one per K and concurrency). Figures are per run of this command; take medians of several.
            """)

    @Flag(help: "Print a JSON array with one object per scenario (and per K) instead of a table.")
    var json = false

    @Flag(help: "Tiny sizes: checks that every scenario runs and prints its fields (the smoke test).")
    var quick = false

    @Option(name: .customLong("scenario"), help: "Run only these scenarios (repeatable).")
    var scenarios: [String] = []

    @Option(help: "Measure on PostgreSQL: a server URL whose user may create databases (one per scenario).")
    var postgres: String?

    @Flag(help: "Record Hookflow's metrics into a Prometheus registry (swift-prometheus), as an app that exports them does.")
    var prometheus = false

    @Flag(help: "Record every trigger, invocation and step as a span of an in-memory tracer (swift-distributed-tracing).")
    var trace = false

    @Flag(help: "SQLite without the listing indexes and the tally triggers of issue 12: what they cost, measured against this.")
    var withoutOperatorIndexes = false

    @Option(help: "Workers of the local transport: the default worker count.")
    var workers = 4

    @Option(name: .customLong("k"), help: "The steps scenario's steps per run: only these (repeatable; default 1, 10 and 100).")
    var stepCounts: [Int] = []

    @Option(help: "Runs the steps scenario starts per K, one at a time and all at once (default 2000, 400 and 60 for K = 1, 10 and 100).")
    var runs: Int?

    @Option(help: "Steps of sleeping runs' histories the engine keeps in memory; 0 keeps none (default 100000).")
    var historyCacheSteps: Int?

    @Option(help: "Runs put to sleep by the sleepers scenario (default 100000).")
    var sleepers: Int?

    @Option(help: "Seconds over which the sleepers scenario measures idle CPU (default 10).")
    var idleSeconds: Double?

    @Option(help: "Runs stored for the operations scenario (default 1000000).")
    var operationRuns: Int?

    @Option(help: "Runs of each half of the limits scenario (default 100000).")
    var limitRuns: Int?

    func validate() throws {
        let known: Set = [
            "steps", "latency", "long-run", "sleepers", "wakeup", "checkpoint-floor", "operations", "composition", "schedules",
            "limits", "long-history",
        ]
        for scenario in scenarios where !known.contains(scenario) {
            throw ValidationError("unknown scenario '\(scenario)'; choose from \(known.sorted().joined(separator: ", "))")
        }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
        for k in stepCounts where ![1, 10, 100].contains(k) {
            throw ValidationError("--k must be 1, 10 or 100, got \(k)")
        }
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        if let operationRuns, operationRuns < 100 {
            throw ValidationError("--operation-runs must be at least 100, got \(operationRuns)")
        }
    }

    func run() async throws {
        var sizes = quick ? Sizes.quick : Sizes.standard
        if let sleepers { sizes.sleepers = sleepers }
        if let idleSeconds { sizes.idleSeconds = idleSeconds }
        if let operationRuns { sizes.operationRuns = operationRuns }
        if let limitRuns { sizes.limitRuns = limitRuns }
        if let historyCacheSteps { sizes.historyCacheSteps = historyCacheSteps }
        if !stepCounts.isEmpty { sizes.runsPerK = sizes.runsPerK.filter { stepCounts.contains($0.key) } }
        if let runs { sizes.runsPerK = sizes.runsPerK.mapValues { _ in runs } }
        sizes.postgres = postgres
        sizes.prometheus = prometheus
        sizes.trace = trace
        sizes.withoutOperatorIndexes = withoutOperatorIndexes
        let selected = scenarios.isEmpty
            ? ["checkpoint-floor", "steps", "latency", "long-run", "wakeup", "sleepers", "operations", "composition", "schedules",
                "limits", "long-history",
            ]
            : scenarios
        var results: [BenchResult] = []
        for scenario in selected {
            let rows: [BenchResult]
            switch scenario {
            case "checkpoint-floor":
                let floor = try await CheckpointFloor.measure(iterations: sizes.floorIterations)
                rows = [BenchResult(scenario: "checkpoint-floor", fields: [
                    ("iterations", .integer(sizes.floorIterations)),
                    ("floor_us", .number(floor.rawMicroseconds)),
                    ("driver_floor_us", .number(floor.driverMicroseconds)),
                ])]
            case "steps": rows = try await Scenarios.steps(sizes: sizes, workers: workers)
            case "latency": rows = [try await Scenarios.latency(sizes: sizes, workers: workers)]
            case "long-run": rows = [try await Scenarios.longRun(sizes: sizes, workers: workers)]
            case "sleepers": rows = [try await Scenarios.sleepers(sizes: sizes, workers: workers)]
            case "operations": rows = [try await OperationsScenario.measure(sizes: sizes)]
            case "composition": rows = [try await CompositionScenario.measure(sizes: sizes, workers: workers)]
            case "schedules": rows = [try await ScheduleScenario.measure(sizes: sizes, workers: workers)]
            case "limits": rows = [try await LimitsScenario.measure(sizes: sizes, workers: workers)]
            case "long-history": rows = [try await LongHistoryScenario.measure(sizes: sizes, workers: workers)]
            default: rows = [try await Scenarios.wakeup(sizes: sizes, workers: workers)]
            }
            if !json { rows.forEach { print($0.line) } }
            results += rows
        }
        if json {
            print("[\n" + results.map { "  " + $0.json }.joined(separator: ",\n") + "\n]")
        }
    }
}
