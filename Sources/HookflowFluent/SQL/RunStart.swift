import Foundation
import Hookflow

/// How a new run starts: pending, or asleep until a start still to come.
struct RunStart {
    let wakeAt: Date?
    let status: RunStatus

    init(_ startAt: Date?, now: Date) {
        wakeAt = startAt.flatMap { $0 > now ? $0 : nil }
        status = wakeAt == nil ? .pending : .sleeping
    }
}
