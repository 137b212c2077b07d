extension StepManager {
    /// Runs `body` for every item, at most `concurrency` at a time, and returns the results in the
    /// items' order. A body may use any durable operation (steps, sleeps, waits, child runs), each
    /// with a step id of its own per item; every step keeps its checkpoint whatever order they
    /// finish or suspend in.
    ///
    /// A body that reaches a durable wait keeps its place until the run wakes, so no more than
    /// `concurrency` bodies are ever unfinished, across invocations too. Every body is run (an error
    /// does not cancel the others); then the error of the first item that threw is thrown, or the
    /// run suspends when a body is still waiting.
    ///
    /// ```swift
    /// let receipts = try await ctx.step.parallel(orders, concurrency: 8) { order in
    ///     try await ctx.step.invoke("charge-\(order.id)", ChargeCard.self, input: order)
    /// }
    /// ```
    public func parallel<Item: Sendable, T: Sendable>(
        _ items: [Item], concurrency: Int = 8, _ body: @escaping @Sendable (Item) async throws -> T
    ) async throws -> [T] {
        guard concurrency >= 1 else {
            throw InvalidParameterError(parameter: "concurrency", value: "\(concurrency)", reason: "must be 1 or more")
        }
        let outcomes = await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            var outcomes = [Result<T, any Error>?](repeating: nil, count: items.count)
            var next = 0
            var busy = 0
            func startWhileFree() {
                while next < items.count, busy < concurrency {
                    let index = next
                    group.addTask {
                        do { return (index, .success(try await body(items[index]))) } catch { return (index, .failure(error)) }
                    }
                    next += 1
                    busy += 1
                }
            }
            startWhileFree()
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                // A body that suspended holds its place until the run wakes.
                if case .failure(let error) = outcome, error is WorkflowSuspension { continue }
                busy -= 1
                startWhileFree()
            }
            return outcomes
        }
        var results: [T] = []
        results.reserveCapacity(items.count)
        var suspended = false
        for outcome in outcomes {
            switch outcome {
            case .success(let value)?: results.append(value)
            case .failure(let error)? where error is WorkflowSuspension: suspended = true
            case .failure(let error)?: throw error
            case nil: suspended = true
            }
        }
        if suspended { throw WorkflowSuspension() }
        return results
    }

    /// Runs `body` once per item as a step of its own (`"<id>[<index>]"`), at most `concurrency`
    /// at a time, and returns the results in the items' order, each checkpointed as `ctx.step.run` does.
    ///
    /// ```swift
    /// let thumbnails = try await ctx.step.map("resize", images, concurrency: 8) { image in
    ///     try await resizer.thumbnail(of: image)
    /// }
    /// ```
    public func map<Item: Sendable, T: Codable & Sendable>(
        _ id: String, _ items: [Item], concurrency: Int = 8, retry: RetryPolicy? = nil,
        _ body: @escaping @Sendable (Item) async throws -> T
    ) async throws -> [T] {
        try await parallel(Array(items.indices), concurrency: concurrency) { index in
            try await self.run("\(id)[\(index)]", retry: retry) { try await body(items[index]) }
        }
    }

    /// Starts one child run of `workflow` per input, as steps `"<id>[<index>]"`, at most
    /// `concurrency` unfinished at a time, and returns their outputs in the inputs' order. A child
    /// that failed throws its ``ChildWorkflowError`` once every child has ended.
    ///
    /// ```swift
    /// let shipped = try await ctx.step.invokeAll("process-order", ProcessOrder.self, inputs: orders, concurrency: 8)
    /// ```
    public func invokeAll<W: Workflow>(
        _ id: String, _ workflow: W.Type, inputs: [W.Input], concurrency: Int = 8,
        onParentCancel: ParentCancellationPolicy = .cascade
    ) async throws -> [W.Output] {
        try await parallel(Array(inputs.indices), concurrency: concurrency) { index in
            try await self.invoke("\(id)[\(index)]", W.self, input: inputs[index], onParentCancel: onParentCancel)
        }
    }
}
