extension StepManager {
    /// Fails the run when `value` is not a valid id or key (``Identifier``): a mistake in the workflow's code.
    func require(_ value: String, as kind: String) async throws {
        do {
            try Identifier.validate(value, as: kind)
        } catch {
            throw await end(step: nil, transition: .fail(stepID: nil, error: "\(error)"), outcome: .failed)
        }
    }

    /// A step's stored result as `T`; one that does not decode fails the run.
    func decode<T: Decodable>(_ type: T.Type, _ record: StepRecord) async throws -> T {
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
