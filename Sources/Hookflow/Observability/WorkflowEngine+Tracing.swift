import Foundation
import NIOHTTP1
import Tracing

/// A trace context's fields in a dictionary: what is stored with a run (as JSON text).
struct TraceFields: Injector, Extractor {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

/// A trace context in HTTP headers: W3C `traceparent` with a W3C propagator, as `ctx.step.call` sends it.
struct TraceHeaders: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}

extension Span {
    /// Sets a step's attributes where the span is recorded: a no-op tracer's span builds none.
    func setStepAttributes(runID: WorkflowRunID, workflowID: String, stepID: String, kind: StepKind, attempt: Int) {
        guard isRecording else { return }
        attributes["hookflow.run_id"] = runID.rawValue
        attributes["hookflow.workflow"] = workflowID
        attributes["hookflow.step_id"] = stepID
        attributes["hookflow.step_kind"] = kind.rawValue
        attributes["hookflow.attempt"] = attempt
    }
}

extension WorkflowEngine {
    var tracer: any Tracer { configuration.tracer }

    /// Runs `body` in a span of the engine's tracer, a child of `context`; an error `body`
    /// throws is recorded on the span.
    func withSpan<T>(
        _ name: String, context: InstrumentationContext, ofKind kind: SpanKind,
        _ body: (any Span) async throws -> T
    ) async rethrows -> T {
        let span = tracer.startSpan(name, context: context, ofKind: kind)
        defer { span.end() }
        do {
            return try await InstrumentationContext.$current.withValue(span.context) { try await body(span) }
        } catch {
            span.recordError(error)
            span.setStatus(.init(code: .error))
            throw error
        }
    }

    /// The current trace context as the text stored with a run, or `nil` when there is none to propagate.
    func currentTraceContext() -> String? {
        guard let context = InstrumentationContext.current else { return nil }
        var fields: [String: String] = [:]
        tracer.inject(context, into: &fields, using: TraceFields())
        guard !fields.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(fields)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The trace context stored with `run`: its trigger's, so that its spans join that trace.
    func traceContext(of run: RunRecord) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        guard let text = run.traceContext,
            let fields = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        else { return context }
        tracer.extract(fields, into: &context, using: TraceFields())
        return context
    }

    /// Adds the current trace context to `headers` (W3C `traceparent` with a W3C propagator).
    func injectTraceContext(into headers: inout HTTPHeaders) {
        guard let context = InstrumentationContext.current else { return }
        tracer.inject(context, into: &headers, using: TraceHeaders())
    }
}
