import Foundation

/// Concurrency admission, as the SQL stores do it.
extension InMemoryState {
    /// Admits the queued runs next in line in the scopes of `run` (which was created or ended),
    /// while they have free slots.
    mutating func admit(after run: RunRecord, now: Date) {
        if let key = run.flow.concurrencyKey {
            while admitNext(now: now, firstOnly: true, where: { $0.flow.concurrencyKey == key }) {}
        }
        if run.flow.workflowLimit != nil {
            while admitNext(now: now, firstOnly: false, where: { $0.workflowID == run.workflowID && $0.flow.workflowLimit != nil }) {}
        }
    }

    /// Admits the first queued run in line of a scope whose key and workflow both have a free slot
    /// (with `firstOnly`, the first in line or none: a key's runs share its count).
    private mutating func admitNext(now: Date, firstOnly: Bool, where inScope: (RunRecord) -> Bool) -> Bool {
        let queued = runs.values.filter { $0.record.status == .queued && inScope($0.record) }
            .sorted { ($0.queueTime, $0.record.runID.rawValue) < ($1.queueTime, $1.record.runID.rawValue) }
        for candidate in queued.prefix(firstOnly ? 1 : queued.count) where hasSlot(for: candidate.record) {
            let runID = candidate.record.runID
            let delayed = candidate.record.wakeAt.map { $0 > now } ?? false
            runs[runID]?.record.status = delayed ? .sleeping : .pending
            runs[runID]?.updatedAt = now
            return true
        }
        return false
    }

    /// Whether `run`'s key and workflow both have a free slot.
    func hasSlot(for run: RunRecord) -> Bool {
        if let key = run.flow.concurrencyKey, let limit = run.flow.keyLimit,
            runs.values.count(where: { $0.holdsSlot && $0.record.flow.concurrencyKey == key }) >= limit
        {
            return false
        }
        if let limit = run.flow.workflowLimit,
            runs.values.count(where: { $0.holdsSlot && $0.record.workflowID == run.workflowID }) >= limit
        {
            return false
        }
        return true
    }
}
