import Foundation

extension GitHubClient {
    /// GitHub's limits on a dispatch's `inputs`.
    public static let maxInputCount = 25
    public static let maxInputsLength = 65_535

    /// Dispatches a workflow (file name such as `deploy.yml`, or numeric id) on `ref` and returns the run it started.
    ///
    /// `repo` is `owner/name`; without it the default repository (`GITHUB_DEFAULT_REPO`) is used.
    /// The client asks GitHub for the run's id. A server that does not return it (GitHub
    /// Enterprise Server before 3.21) gets its run looked up in the run list: exactly when
    /// `correlationInput` names an input that the workflow declares and shows in its
    /// `run-name` (the client fills it with a fresh id), otherwise by time, best effort.
    ///
    /// Never retried after an ambiguous failure: a second POST would start a second run.
    public func dispatch(
        _ workflow: String, repo: String? = nil, ref: String = "main", inputs: [String: String] = [:],
        correlationInput: String? = nil
    ) async throws -> GitHubDispatchedRun {
        let repository = try repository(repo)
        let correlation = correlationInput.map { ($0, UUID().uuidString.lowercased()) }
        return try await dispatch(workflow, in: repository, ref: ref, inputs: inputs, correlation: correlation)
    }

    func dispatch(
        _ workflow: String, in repository: GitHubRepository, ref: String, inputs: [String: String],
        correlation: (input: String, id: String)?
    ) async throws -> GitHubDispatchedRun {
        var inputs = inputs
        if let correlation { inputs[correlation.input] = correlation.id }
        try Self.checkInputs(inputs)
        struct Body: Encodable, Sendable {
            var ref: String
            var inputs: [String: String]?
            var return_run_details: Bool?
        }
        struct Details: Decodable {
            var workflow_run_id: Int64
            var html_url: String
        }
        let path = "\(Self.path(repository))/actions/workflows/\(Self.segment(workflow))/dispatches"
        let body = Body(
            ref: ref, inputs: inputs.isEmpty ? nil : inputs,
            return_run_details: configuration.apiVersion == .v2022_11_28 ? true : nil)
        let response = try await send(.POST, path, body: body, idempotent: false)
        var logger = configuration.logger
        logger[metadataKey: "github.repository"] = "\(repository)"
        logger[metadataKey: "github.workflow"] = "\(workflow)"
        if response.status == 200 {
            guard let details = try? Self.decoder.decode(Details.self, from: response.body) else {
                throw GitHubError.invalidResponse(
                    request: "POST \(path)", reason: "200 without workflow_run_id and html_url")
            }
            logger.info("workflow dispatched", metadata: ["github.run_id": "\(details.workflow_run_id)"])
            return GitHubDispatchedRun(
                repository: repository, workflow: workflow, runID: details.workflow_run_id, htmlURL: details.html_url,
                source: .returned)
        }
        // 204: the server did not say which run it started.
        let serverTime = response.headers.first(name: "Date").flatMap(Self.httpDate) ?? Date()
        logger.info("workflow dispatched without a run id; looking for the run")
        guard let run = try await findDispatchedRun(
            workflow, in: repository, ref: ref, since: serverTime.addingTimeInterval(-10),
            correlationID: correlation?.id, timeout: configuration.correlationTimeout)
        else {
            throw GitHubError.dispatchedRunNotFound(
                workflow: workflow, repository: "\(repository)", waitedSeconds: configuration.correlationTimeout.seconds)
        }
        return run
    }

    /// Looks for the run a dispatch of `workflow` on `ref` started at or after `since`:
    /// the one whose title contains `correlationID` when given, else the earliest one.
    /// Looks again with growing pauses until `timeout`; `nil` when none appeared.
    public func findDispatchedRun(
        _ workflow: String, in repository: GitHubRepository, ref: String, since: Date, correlationID: String?,
        timeout: Duration
    ) async throws -> GitHubDispatchedRun? {
        let deadline = ContinuousClock.now + timeout
        let filter = GitHubRunFilter(
            branch: ref, event: "workflow_dispatch", created: ">=" + Self.isoDate(since), perPage: 50)
        var pause = Duration.milliseconds(500)
        while true {
            let runs = try await listRuns(in: repository, workflow: workflow, filter: filter).runs
            let match =
                if let correlationID {
                    runs.first { $0.displayTitle.contains(correlationID) }
                } else {
                    runs.filter { $0.createdAt >= since }.min { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
                }
            if let match {
                return GitHubDispatchedRun(
                    repository: repository, workflow: workflow, runID: match.id, htmlURL: match.htmlURL,
                    source: .correlated)
            }
            guard ContinuousClock.now + pause < deadline else { return nil }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }

    /// Checks GitHub's limits on `inputs` before anything is sent.
    static func checkInputs(_ inputs: [String: String]) throws {
        if inputs.count > maxInputCount {
            throw GitHubError.invalidInputs("\(inputs.count) inputs, GitHub accepts at most \(maxInputCount)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let length = (try? encoder.encode(inputs).count) ?? 0
        if length > maxInputsLength {
            throw GitHubError.invalidInputs(
                "the inputs serialise to \(length) characters, GitHub accepts at most \(maxInputsLength)")
        }
        if let empty = inputs.keys.first(where: { $0.isEmpty }) {
            throw GitHubError.invalidInputs("an input has an empty name ('\(empty)')")
        }
    }

    static func isoDate(_ date: Date) -> String {
        var format = Date.ISO8601FormatStyle()
        format.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(format)
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
