import FluentKit

extension DatabaseID {
    /// Hookflow's database, registered when Hookflow starts, for querying its models:
    ///
    /// ```swift
    /// let failed = try await WorkflowRun.query(on: req.db(.hookflow)).filter(\.$status == .failed).all()
    /// ```
    public static let hookflow = DatabaseID(string: "hookflow")
}
