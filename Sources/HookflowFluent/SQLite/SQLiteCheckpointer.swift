import NIOCore
import NIOPosix
import Synchronization

/// Copies the WAL back into the database file on a thread of its own, through a connection of
/// its own, so that the writer's commits never wait for it (a checkpoint flushes the file to
/// disk, which can take milliseconds): the writer's automatic checkpoints are off.
///
/// A checkpoint runs after every ``commitsPerCheckpoint`` commits and once a second while any
/// happened. It is `PASSIVE`: it copies what it can without waiting for a reader or the writer.
final class SQLiteCheckpointer: Sendable {
    /// The thread the checkpoints of every SQLite store of the process run on.
    private static let thread = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
    static let commitsPerCheckpoint = 500

    private let connection: Checkpointing
    private let commits = Mutex<(sinceLast: Int, timer: RepeatedTask?)>((0, nil))

    init(path: String) async throws {
        connection = try await Self.thread.submit { Checkpointing(try SQLiteHandle(path: path)) }.get()
        let timer = Self.thread.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in
            guard let self else { return }
            if self.commits.withLock({ $0.sinceLast }) > 0 { self.checkpoint() }
        }
        commits.withLock { $0.timer = timer }
    }

    /// The writer committed: every so many commits, a checkpoint is queued (it does not wait for it).
    func committed() {
        let due = commits.withLock { state -> Bool in
            state.sinceLast += 1
            return state.sinceLast >= Self.commitsPerCheckpoint
        }
        if due { Self.thread.execute { self.checkpoint() } }
    }

    /// On the checkpoint thread.
    private func checkpoint() {
        commits.withLock { $0.sinceLast = 0 }
        connection.checkpoint()
    }

    /// Stops the timer, runs a last checkpoint and closes the connection.
    func close() async {
        commits.withLock { $0.timer }?.cancel()
        try? await Self.thread.submit { self.connection.checkpoint(); self.connection.close() }.get()
    }
}

/// The checkpoint connection, used on the checkpoint thread only.
private final class Checkpointing: @unchecked Sendable {
    private var handle: SQLiteHandle?
    init(_ handle: SQLiteHandle) { self.handle = handle }
    func checkpoint() { try? handle?.executeScript("PRAGMA wal_checkpoint(PASSIVE)") }
    func close() { handle = nil }
}
