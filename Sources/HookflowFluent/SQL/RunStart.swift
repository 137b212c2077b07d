import Foundation
import Hookflow

/// How a new run starts: pending, asleep until a start still to come, or queued for a slot
/// (which admits it pending, or asleep until its start).
struct RunStart {
    let wakeAt: Date?
    let status: RunStatus

    init(_ startAt: Date?, now: Date, flow: RunFlow = .unlimited) {
        wakeAt = startAt.flatMap { $0 > now ? $0 : nil }
        status = flow.isLimited ? .queued : wakeAt == nil ? .pending : .sleeping
    }
}
