extension StepManager {
    /// Fails the run when `value` is not a valid id or key (``Identifier``): a mistake in the workflow's code.
    func require(_ value: String, as kind: String) async throws {
        do {
            try Identifier.validate(value, as: kind)
        } catch {
            throw await end(step: nil, transition: .fail(stepID: nil, error: "\(error)"), outcome: .failed)
        }
    }

    /// A step's stored result as `T`, decoded once per history (``HistoryCache``); one that does
    /// not decode fails the run.
    func decode<T: Decodable & Sendable>(_ type: T.Type, _ record: StepRecord) async throws -> T {
        if let value = state.withLock({ $0.decoded[record.stepID] }) as? T { return value }
        let value: T = try await decodeStored(T.self, record)
        state.withLock { $0.decoded[record.stepID] = value }
        return value
    }

    /// A step's stored result as `T`, decoded each time (a value that is not `Sendable` is not kept).
    func decode<T: Decodable>(_ type: T.Type, _ record: StepRecord) async throws -> T {
        try await decodeStored(T.self, record)
    }

    private func decodeStored<T: Decodable>(_ type: T.Type, _ record: StepRecord) async throws -> T {
        do {
            return try JSONCoding.decode(T.self, from: record.result ?? "null")
        } catch {
            let coding = StepCodingError(
                workflowID: workflowID, runID: runID, stepID: record.stepID,
                reason: "its stored result does not decode as \(T.self): \(JSONCoding.describe(error))")
            throw await end(step: nil, transition: .fail(stepID: record.stepID, error: coding.description), outcome: .failed)
        }
    }
}
