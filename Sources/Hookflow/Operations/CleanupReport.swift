/// What a clean-up deleted, or (in a dry run) would delete.
public struct CleanupReport: Sendable, Hashable {
    /// Finished runs, with their steps.
    public var runs: Int
    /// Dead letters: those of the deleted runs and those past the age on their own.
    public var deadLetters: Int

    public init(runs: Int, deadLetters: Int) {
        self.runs = runs
        self.deadLetters = deadLetters
    }
}

/// What a clean-up deletes, as django-hookflow's `cleanup_workflows` flags choose it.
public enum CleanupScope: String, Sendable, Hashable, CaseIterable {
    /// Finished runs (with their steps and dead letters) and old dead letters.
    case everything
    /// Finished runs and their steps; dead letters stay (`--workflows-only`).
    case runs
    /// Old dead letters only; runs stay (`--dlq-only`).
    case deadLetters
}
