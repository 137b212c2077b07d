import Foundation

/// A store shared by several processes that tells each of them when there is work:
/// a run triggered, released or woken by an event (now), or one that wakes later. ``LocalTransport`` listens, so that an idle instance does not
/// wait for its slow safety check to notice another instance's work.
public protocol WakeAnnouncingStore: WorkflowStore {
    /// Announcements from every process sharing the store, this one included: `nil` for
    /// work that is runnable now, a date for a run that becomes runnable then. One consumer.
    func wakeAnnouncements() -> AsyncStream<Date?>
}
