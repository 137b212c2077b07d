import Foundation
import Synchronization

/// Parks idle workers and the timer of the local transport, and wakes them
/// when work arrives: no polling, no lost wake-ups.
final class WakeSignal: Sendable {
    private struct State {
        /// Bumped by every notification, so a worker that looked for work before it
        /// parks learns that it missed one.
        var generation: UInt64 = 0
        var workers: [CheckedContinuation<Void, Never>] = []
        /// The earliest wake time reported since the timer last read it.
        var deadline: Date?
        var timer: CheckedContinuation<Void, Never>?
        /// An earlier wake time arrived while the timer was not parked.
        var timerPoked = false
        /// Each timer sleep is a round; a round that ended must not park its waiter afterwards.
        var timerRound: UInt64 = 0
        var timerRoundEnded: UInt64 = 0
        /// When the sleeping timer will fire; later wake times need not wake it.
        var timerPlanned: Date?
        var isShutDown = false
    }

    private let state = Mutex(State())

    var generation: UInt64 { state.withLock { $0.generation } }
    var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// Wakes up to `count` idle workers.
    func notifyWork(count: Int = 1) {
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.generation &+= 1
            let taken = Array(state.workers.prefix(count))
            state.workers.removeFirst(taken.count)
            return taken
        }
        for worker in woken { worker.resume() }
    }

    /// Wakes every idle worker.
    func notifyAll() { notifyWork(count: .max) }

    /// Parks a worker until work is notified, unless some was notified since `generation`.
    func waitForWork(since generation: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let parked = state.withLock { state in
                guard state.generation == generation, !state.isShutDown else { return false }
                state.workers.append(continuation)
                return true
            }
            if !parked { continuation.resume() }
        }
    }

    /// Records that a run wakes at `date`, waking the timer when that is earlier than it planned.
    func schedule(_ date: Date) {
        let timer: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard state.deadline.map({ date < $0 }) ?? true else { return nil }
            if let planned = state.timerPlanned, date >= planned { return nil }
            state.deadline = date
            guard let timer = state.timer else {
                state.timerPoked = true
                return nil
            }
            state.timer = nil
            return timer
        }
        timer?.resume()
    }

    /// Takes the earliest wake time reported since the last call.
    func takeDeadline() -> Date? {
        state.withLock { state in
            defer { state.deadline = nil }
            return state.deadline
        }
    }

    /// Sleeps the timer until `date`, or until an earlier wake time is scheduled, or shutdown.
    func sleepTimer(until date: Date) async {
        let round = state.withLock { state in
            state.timerRound &+= 1
            state.timerPlanned = date
            return state.timerRound
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                let seconds = date.timeIntervalSinceNow
                if seconds > 0 { try? await Task.sleep(for: HookflowTime.duration(seconds: seconds)) }
            }
            group.addTask { await self.waitForPoke(round: round) }
            await group.next()
            group.cancelAll()
            self.endTimerRound(round)
        }
    }

    private func waitForPoke(round: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let parked = state.withLock { state in
                if state.timerRoundEnded >= round || state.isShutDown { return false }
                if state.timerPoked {
                    state.timerPoked = false
                    return false
                }
                state.timer = continuation
                return true
            }
            if !parked { continuation.resume() }
        }
    }

    private func endTimerRound(_ round: UInt64) {
        let timer: CheckedContinuation<Void, Never>? = state.withLock { state in
            state.timerRoundEnded = round
            state.timerPlanned = nil
            defer { state.timer = nil }
            return state.timer
        }
        timer?.resume()
    }

    /// Wakes everything for good: workers finish their invocation and return.
    func shutDown() {
        let (workers, timer): ([CheckedContinuation<Void, Never>], CheckedContinuation<Void, Never>?) =
            state.withLock { state in
                state.isShutDown = true
                defer {
                    state.workers = []
                    state.timer = nil
                }
                return (state.workers, state.timer)
            }
        for worker in workers { worker.resume() }
        timer?.resume()
    }
}
