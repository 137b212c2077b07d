import NIOCore
import NIOPosix
import Synchronization

/// Copies the WAL back into the database file on a thread of its own, through a connection of
/// its own, so that the writer's commits never wait for it (a checkpoint flushes the file to
/// disk, which can take milliseconds): the writer's automatic checkpoints are off.
///
/// A checkpoint runs after every ``commitsPerCheckpoint`` commits and once a second while any
/// happened. It is `PASSIVE`: it copies what it can without waiting for a reader or the writer.
/// Under writes that never pause, though, it never copies the frames written while it ran,
/// and the WAL, which starts over only once all of it is copied, would grow without end (12 GB
/// during a clean-up of 300,000 runs): so when it holds ``restartFrames`` or more, it checkpoints
/// again until few frames come in during a pass, then once more with the writer held (about
/// 10 ms: the last frames and a flush), and the next commit starts the WAL over.
final class SQLiteCheckpointer: Sendable {
    /// The thread the checkpoints of every SQLite store of the process run on.
    private static let thread = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
    static let commitsPerCheckpoint = 500
    /// The WAL's size, in frames (pages), from which a checkpoint is finished with the writer held: 16 MB.
    static let restartFrames = 4096
    /// At most how many frames are left to copy with the writer held.
    static let catchUpFrames = 256

    private let connection: Checkpointing
    private let writer: SQLiteConnectionLock
    private let commits = Mutex<(sinceLast: Int, timer: RepeatedTask?)>((0, nil))

    init(path: String, writer: SQLiteConnectionLock) async throws {
        self.writer = writer
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
        guard var frames = connection.checkpoint(), frames >= Self.restartFrames else { return }
        // Again while writes keep outrunning it (each pass is shorter: it copies what was written
        // during the one before), so that little is left to copy with the writer held.
        for _ in 0..<4 {
            guard let now = connection.checkpoint() else { return }
            defer { frames = now }
            if now - frames <= Self.catchUpFrames { break }
        }
        writer.excludingWrites { _ = connection.checkpoint() }
    }

    /// Stops the timer, runs a last checkpoint and closes the connection.
    func close() async {
        commits.withLock { $0.timer }?.cancel()
        try? await Self.thread.submit {
            _ = self.connection.checkpoint()
            self.connection.close()
        }.get()
    }
}

/// The checkpoint connection, used on the checkpoint thread only.
private final class Checkpointing: @unchecked Sendable {
    private var handle: SQLiteHandle?
    init(_ handle: SQLiteHandle) { self.handle = handle }
    /// Copies what it can of the WAL into the database; returns the frames the WAL holds, or `nil`
    /// when it could not tell.
    func checkpoint() -> Int? {
        guard let row = (try? handle?.query("PRAGMA wal_checkpoint(PASSIVE)"))?.first, row.count > 1 else { return nil }
        return row[1].integer
    }
    func close() { handle = nil }
}
