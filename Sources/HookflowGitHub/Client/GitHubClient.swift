import AsyncHTTPClient
import Foundation
import Hookflow
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A client of GitHub's Actions REST API: dispatch workflows, read and manage their runs.
///
/// Every request carries `Accept: application/vnd.github+json`, `X-GitHub-Api-Version`
/// and a `User-Agent`. Rate-limited requests wait for `retry-after`, then for
/// `x-ratelimit-reset`, up to ``Configuration/maxRateLimitWait``. Reads are retried on 5xx;
/// a dispatch is never retried after an ambiguous failure, because GitHub would start a
/// second run.
///
/// ```swift
/// let github = GitHubClient(credentials: .token(token), configuration: .init(defaultRepository: "acme/shop"))
/// let run = try await github.dispatch("deploy.yml", inputs: ["environment": "staging"])
/// print(run.runID, run.htmlURL ?? "")
/// ```
public struct GitHubClient: Sendable {
    /// Settings of a client.
    public struct Configuration: Sendable {
        /// `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server.
        public var apiURL: String
        public var apiVersion: GitHubAPIVersion
        /// The repository calls use when they name none (`GITHUB_DEFAULT_REPO`).
        public var defaultRepository: GitHubRepository?
        public var userAgent: String
        /// The longest a request waits for a rate limit to reset before it fails with ``GitHubError/rateLimited(request:waitSeconds:limitSeconds:)``.
        public var maxRateLimitWait: Duration
        /// Per request.
        public var timeout: Duration
        /// How long a dispatch looks for its run in the run list when the server returns no run id.
        public var correlationTimeout: Duration
        /// Whether `workflow_run` webhooks reach this app (``GitHubWebhook``): durable waits then poll
        /// only as a slow safety net.
        public var receivesWebhooks: Bool
        /// The first pause of a durable wait between two looks at the run; each pause is twice
        /// the last, up to ``maxPollInterval``. Defaults: 5 s to 1 min when polling is how a
        /// wait learns of the end, 5 min to 30 min when webhooks are (``receivesWebhooks``).
        public var pollInterval: Duration {
            get { chosenPollInterval ?? (receivesWebhooks ? .seconds(300) : .seconds(5)) }
            set { chosenPollInterval = newValue }
        }
        public var maxPollInterval: Duration {
            get { chosenMaxPollInterval ?? (receivesWebhooks ? .seconds(1800) : .seconds(60)) }
            set { chosenMaxPollInterval = newValue }
        }
        private var chosenPollInterval: Duration?
        private var chosenMaxPollInterval: Duration?
        public var logger: Logger
        /// Where `hookflow_github_api_calls_total` is counted.
        public var metrics: HookflowMetrics

        public init(
            apiURL: String = "https://api.github.com",
            apiVersion: GitHubAPIVersion = .v2022_11_28,
            defaultRepository: GitHubRepository? = nil,
            userAgent: String = "hookflow-swift",
            maxRateLimitWait: Duration = .seconds(60),
            timeout: Duration = .seconds(30),
            correlationTimeout: Duration = .seconds(60),
            receivesWebhooks: Bool = false,
            pollInterval: Duration? = nil,
            maxPollInterval: Duration? = nil,
            logger: Logger = Logger(label: "hookflow.github"),
            metrics: HookflowMetrics = HookflowMetrics()
        ) {
            self.metrics = metrics
            self.chosenPollInterval = pollInterval
            self.chosenMaxPollInterval = maxPollInterval
            self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
            self.apiVersion = apiVersion
            self.defaultRepository = defaultRepository
            self.userAgent = userAgent
            self.maxRateLimitWait = maxRateLimitWait
            self.timeout = timeout
            self.correlationTimeout = correlationTimeout
            self.receivesWebhooks = receivesWebhooks
            self.logger = logger
        }
    }

    public let configuration: Configuration
    let httpClient: HTTPClient
    let tokens: GitHubTokenSource

    /// A client that authenticates with `credentials`. `httpClient` must not follow redirects
    /// by itself (the client follows them, and keeps a log URL's redirect for ``logsURL(of:in:)``);
    /// by default it is one shared for all GitHub clients.
    public init(credentials: GitHubCredentials, configuration: Configuration = .init(), httpClient: HTTPClient? = nil) {
        self.configuration = configuration
        self.httpClient = httpClient ?? Self.sharedHTTPClient
        self.tokens = GitHubTokenSource(credentials: credentials)
    }

    /// An HTTP client that leaves redirects to the caller, for the life of the process.
    static let sharedHTTPClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// The repository to use: `repository` when given, else the default one.
    public func repository(_ repository: String?) throws -> GitHubRepository {
        if let repository { return try GitHubRepository(repository) }
        guard let fallback = configuration.defaultRepository else { throw GitHubError.missingRepository }
        return fallback
    }

    // MARK: Requests

    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    enum Auth {
        /// The client's credentials (a token, or the app's installation token).
        case installation
        /// A GitHub App's JWT, for `/app` routes.
        case bearer(String)
    }

    /// Sends one API request, waiting out rate limits, retrying reads on 5xx and
    /// following redirects; returns 2xx and 3xx answers and throws on the rest.
    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: (any Encodable & Sendable)? = nil,
        auth: Auth = .installation, idempotent: Bool? = nil, followRedirects: Bool = true, ifNoneMatch: String? = nil
    ) async throws -> Response {
        let label = "\(method.rawValue) \(path)"
        var url = configuration.apiURL + path
        if !query.isEmpty { url += "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&") }
        let retriesReads = idempotent ?? (method == .GET)
        var bodyData: Data?
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            bodyData = try encoder.encode(body)
        }
        var serverErrors = 0
        var rateLimitWaits = 0
        var redirects = 0
        var refreshedToken = false
        while true {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "Accept", value: "application/vnd.github+json")
            request.headers.add(name: "X-GitHub-Api-Version", value: configuration.apiVersion.rawValue)
            request.headers.add(name: "User-Agent", value: configuration.userAgent)
            if let ifNoneMatch { request.headers.add(name: "If-None-Match", value: ifNoneMatch) }
            switch auth {
            case .installation: request.headers.add(name: "Authorization", value: try await tokens.authorization(client: self))
            case .bearer(let token): request.headers.add(name: "Authorization", value: "Bearer \(token)")
            }
            if let bodyData {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(data: bodyData))
            }
            let response: Response
            do {
                let answer = try await httpClient.execute(request, timeout: .nanoseconds(configuration.timeout.nanoseconds))
                let bytes = try await answer.body.collect(upTo: 32 * 1024 * 1024)
                response = Response(status: Int(answer.status.code), headers: answer.headers, body: Data(buffer: bytes))
                configuration.metrics.increment(.gitHubCalls, [("status", "\(response.status)")])
            } catch {
                configuration.metrics.increment(.gitHubCalls, [("status", "error")])
                if retriesReads, serverErrors < 2 {
                    serverErrors += 1
                    try await Task.sleep(for: .seconds(serverErrors))
                    continue
                }
                throw GitHubError.transport(request: label, reason: "\(error)")
            }
            switch response.status {
            case 200..<300, 304:
                return response
            case 301, 302, 307, 308:
                guard followRedirects else { return response }
                // Credentials go to the API's own host only.
                guard redirects < 3, let location = response.headers.first(name: "Location"),
                    Self.sameOrigin(location, configuration.apiURL)
                else { break }
                redirects += 1
                url = location
                continue
            case 401 where !refreshedToken:
                // An installation token revoked early: fetch a new one once.
                guard case .installation = auth else { break }
                refreshedToken = true
                await tokens.invalidate()
                continue
            case 403, 429:
                guard let wait = Self.rateLimitWait(response, waitsSoFar: rateLimitWaits) else { break }
                let limit = configuration.maxRateLimitWait.seconds
                guard wait <= limit, rateLimitWaits < 3 else {
                    throw GitHubError.rateLimited(request: label, waitSeconds: wait, limitSeconds: limit)
                }
                rateLimitWaits += 1
                configuration.logger.warning(
                    "GitHub rate limit, waiting", metadata: ["github.request": "\(label)", "github.wait_seconds": "\(wait)"])
                try await Task.sleep(for: HookflowTime.duration(seconds: wait))
                continue
            case 500..<600 where retriesReads && serverErrors < 2:
                serverErrors += 1
                try await Task.sleep(for: .seconds(serverErrors))
                continue
            default:
                break
            }
            throw Self.error(for: response, request: label, version: configuration.apiVersion)
        }
    }

    /// Sends a request and decodes its JSON answer.
    func send<T: Decodable>(
        _ type: T.Type, _ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
        body: (any Encodable & Sendable)? = nil, auth: Auth = .installation
    ) async throws -> T {
        let response = try await send(method, path, query: query, body: body, auth: auth)
        do {
            return try Self.decoder.decode(T.self, from: response.body)
        } catch {
            throw GitHubError.invalidResponse(request: "\(method.rawValue) \(path)", reason: "\(error)")
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// How long a 403 or 429 asks the client to wait: `retry-after`, else until `x-ratelimit-reset`
    /// (against the server's `Date`) when the limit is used up, else a minute, doubling with each
    /// wait, for a secondary limit; `nil` for a plain 403.
    static func rateLimitWait(_ response: Response, waitsSoFar: Int) -> Double? {
        if let retryAfter = response.headers.first(name: "retry-after").flatMap(Double.init) {
            return max(0, retryAfter)
        }
        if response.headers.first(name: "x-ratelimit-remaining") == "0",
            let reset = response.headers.first(name: "x-ratelimit-reset").flatMap(Double.init)
        {
            let now = response.headers.first(name: "Date").flatMap(httpDate) ?? Date()
            return max(0, reset - now.timeIntervalSince1970)
        }
        let secondary = response.status == 429 || message(response.body).lowercased().contains("secondary rate limit")
        return secondary ? 60 * Double(1 << waitsSoFar) : nil
    }

    /// Whether `location` has the scheme, host and port of `base`.
    static func sameOrigin(_ location: String, _ base: String) -> Bool {
        guard let target = URLComponents(string: location), let origin = URLComponents(string: base) else { return false }
        return target.scheme == origin.scheme && target.host == origin.host && target.port == origin.port
            && target.user == nil && target.password == nil
    }

    static func error(for response: Response, request: String, version: GitHubAPIVersion) -> GitHubError {
        let message = Self.message(response.body)
        switch response.status {
        case 400 where version != .v2022_11_28, 410:
            return .unsupportedAPIVersion(request: request, version: version.rawValue, message: message)
        case 401: return .unauthorized(request: request, message: message)
        case 403: return .forbidden(request: request, message: message)
        case 404: return .notFound(request: request, message: message)
        case 409: return .conflict(request: request, message: message)
        case 422: return .validationFailed(request: request, message: message)
        default: return .unexpectedStatus(request: request, status: response.status, message: message)
        }
    }

    /// GitHub's `message`, or the start of the body.
    static func message(_ body: Data) -> String {
        struct Failure: Decodable { var message: String }
        if let failure = try? JSONDecoder().decode(Failure.self, from: body) { return failure.message }
        return String(decoding: body.prefix(300), as: UTF8.self)
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension Duration {
    var seconds: Double { HookflowTime.seconds(of: self) }
    var nanoseconds: Int64 { HookflowTime.nanoseconds(of: self) }
}
