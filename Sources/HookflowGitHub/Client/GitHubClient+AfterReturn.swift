/// The dispatch that follows a wrapped function failed; the function's result is kept.
public struct GitHubDispatchAfterReturnError<Output: Sendable>: Error, Sendable, CustomStringConvertible {
    /// What the wrapped function returned: its effects happened.
    public let result: Output
    public let underlying: GitHubError

    public var description: String { "the function returned, but dispatching its workflow failed: \(underlying)" }
}

extension GitHubClient {
    /// Wraps `body` so that each time it returns, `workflow` is dispatched: the Swift form
    /// of django-hookflow's `@trigger_github_workflow` decorator.
    ///
    /// `inputs` builds the dispatch's inputs from the function's result. The repository is
    /// resolved before `body` runs, so a missing `GITHUB_DEFAULT_REPO` fails before any
    /// effect. When the dispatch fails, ``GitHubDispatchAfterReturnError`` carries the result.
    ///
    /// ```swift
    /// let deployFeature = github.dispatchingAfter(workflow: "deploy.yml", inputs: { ["feature": $0] }) {
    ///     (name: String) in
    ///     try await features.enable(name)
    ///     return name
    /// }
    /// let (feature, run) = try await deployFeature("checkout-v2")
    /// ```
    public func dispatchingAfter<Input: Sendable, Output: Sendable>(
        workflow: String, repo: String? = nil, ref: String = "main",
        inputs: @escaping @Sendable (Output) -> [String: String] = { _ in [:] },
        _ body: @escaping @Sendable (Input) async throws -> Output
    ) -> @Sendable (Input) async throws -> (Output, GitHubDispatchedRun) {
        { input in
            let repository = try self.repository(repo)
            let output = try await body(input)
            do {
                let run = try await self.dispatch(
                    workflow, in: repository, ref: ref, inputs: inputs(output), correlation: nil)
                return (output, run)
            } catch let error as GitHubError {
                throw GitHubDispatchAfterReturnError(result: output, underlying: error)
            }
        }
    }
}
