import HookflowQStash

/// Settings of the local QStash-compatible server.
public struct QStashDevConfiguration: Sendable {
    /// The dev token of Upstash's own local server: `{"UserID":"defaultUser","Password":"defaultPassword"}`.
    public static let developmentToken =
        "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0="

    /// The bearer token clients must send.
    public var token: String
    /// The keys deliveries are signed with (the current one) and `GET /v2/keys` reports.
    public var keys: QStashSigningKeys
    /// Multiplies retry back-off delays: `0.01` turns QStash's 12 s first retry into 120 ms.
    public var timeScale: Double
    /// How long a deduplication id is remembered: 10 minutes, as QStash does.
    public var deduplicationWindow: Duration
    /// How long a delivery may take before it counts as failed.
    public var deliveryTimeout: Duration

    public init(
        token: String = developmentToken, keys: QStashSigningKeys = .development, timeScale: Double = 1,
        deduplicationWindow: Duration = .seconds(600), deliveryTimeout: Duration = .seconds(60)
    ) {
        self.token = token
        self.keys = keys
        self.timeScale = timeScale
        self.deduplicationWindow = deduplicationWindow
        self.deliveryTimeout = deliveryTimeout
    }
}
