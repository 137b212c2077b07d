import Foundation
import HookflowGitHub
import HookflowQStash
import NIOHTTP1

/// A reproducible source of randomness (SplitMix64), so a fuzz run can be repeated from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One malformed or hostile request to the demo: any route, method, content type and body,
/// and bodies validly signed for the QStash and GitHub webhooks.
struct HostileRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var headers: [(String, String)]
    var body: [UInt8]?
    /// A body to sign for the QStash webhook, once the request's URL is known.
    var qstashSigned = false

    static let routes = [
        "/", "/orders", "/reports", "/payments/charge", "/hookflow/api/runs/fuzz-before", "/hookflow/api/runs/x",
        "/hookflow/workflow/process-order/", "/hookflow/workflow/send-report/", "/hookflow/workflow/nope/",
        "/hookflow/github/", "/hookflow/api/runs/%00", "/hookflow/api/runs/%FF%FE", "/..%2F..%2Fetc%2Fpasswd",
        "/orders?run_id=%00", "/hookflow/workflow/%00/", "/" + String(repeating: "a", count: 3000),
        "/hookflow/api/runs/" + String(repeating: "%F0%9F%9A%80", count: 200),
        "/hookflow/api/runs", "/hookflow/api/runs?limit=%00&status=%FF&cursor=%F0", "/hookflow/api/runs/x/fork",
        "/hookflow/api/runs/fuzz-before/rerun", "/hookflow/api/workflows", "/hookflow/api/workflows/process-order/runs",
        "/hookflow/api/workflows/%00/runs", "/hookflow/api/dead-letters", "/hookflow/api/dead-letters/x/replay",
        "/hookflow/api/runs/fuzz-before?steps_limit=%00&steps_cursor=%F0",
    ]
    static let methods: [HTTPMethod] = [.GET, .POST, .POST, .POST, .PUT, .DELETE, .PATCH, .OPTIONS, .HEAD]
    static let contentTypes: [String?] = [
        "application/json", "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "text/plain", "application/octet-stream", nil, "application/json; charset=utf-16", "a/b/c", "application/json;;;",
    ]

    static func random(using generator: inout SeededGenerator, githubSecret: String) -> HostileRequest {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0..<6:
            var headers: [(String, String)] = []
            if let type = contentTypes.randomElement(using: &generator)! { headers.append(("Content-Type", type)) }
            return HostileRequest(
                method: methods.randomElement(using: &generator)!, path: routes.randomElement(using: &generator)!,
                headers: headers, body: body(using: &generator))
        case 6..<8:
            // Validly signed garbage for the QStash webhook.
            let path = ["/hookflow/workflow/process-order/", "/hookflow/workflow/send-report/", "/hookflow/workflow/nope/"]
                .randomElement(using: &generator)!
            return HostileRequest(
                method: .POST, path: path, headers: [("Content-Type", "application/json")],
                body: signedBody(using: &generator), qstashSigned: true)
        default:
            // Validly signed garbage for GitHub's webhook.
            let body = Int.random(in: 0..<2, using: &generator) == 0 ? gitHubBody(using: &generator) : body(using: &generator) ?? []
            let event = ["workflow_run", "ping", "push", "", "workflow_run X: y", "wörkflow_run"].randomElement(using: &generator)!
            let signature = GitHubWebhook(secret: githubSecret).signature(of: Data(body))
            return HostileRequest(
                method: .POST, path: "/hookflow/github/",
                headers: [
                    ("Content-Type", "application/json"), ("X-GitHub-Event", event),
                    ("X-GitHub-Delivery", "\(UInt32.random(in: 0...5, using: &generator))"),
                    ("X-Hub-Signature-256", signature),
                ],
                body: body)
        }
    }

    /// Bodies that once crashed or confused something, and random ones.
    static func body(using generator: inout SeededGenerator) -> [UInt8]? {
        let texts = [
            "%", "%zz", "a=1&%", "", "{", "[", "{\"order_id\":", "null", "1e400", "9007199254740993", "-0",
            "{\"order_id\":\"A-1\",\"run_id\":\"order-A\\u0000x\"}", "{\"order_id\":\"\\u0000\"}",
            "{\"order_id\":\"FUZZ\",\"run_id\":\"fuzz-before\"}",
            "{\"order_id\":\"FUZZ\",\"run_id\":\"" + String(repeating: "r", count: 600) + "\"}",
            "{\"order_id\":[1,2,3]}", "{\"email\":\"a@b.c\\n2026-01-01 critical forged\"}", "{\"order_id\":{\"$gt\":\"\"}}",
            String(repeating: "[", count: 5000), String(repeating: "{\"a\":", count: 3000),
            "{" + (0..<2000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}",
            "\u{FEFF}{\"order_id\":\"bom\"}", "{\"order_id\":\"x\",\"order_id\":\"y\"}", "<script>alert(1)</script>",
        ]
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: return nil
        case 1..<6: return Array(texts.randomElement(using: &generator)!.utf8)
        case 6..<9: return (0..<Int.random(in: 0..<3000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        default:
            // Over the body limit, now and then.
            return Int.random(in: 0..<20, using: &generator) == 0 ? [UInt8](repeating: 0x7B, count: 1_200_000) : Array("[]".utf8)
        }
    }

    static func signedBody(using generator: inout SeededGenerator) -> [UInt8] {
        let texts = [
            "{\"run_id\":\"fuzz-before\"}", "{\"run_id\":\"nope\"}", "{\"run_id\":\"a\\u0000b\"}", "{\"run_id\":123}",
            "{\"run_id\":\"fuzz-before\",\"wake_at_ms\":99999999999999999999}", "{\"run_id\":\"fuzz-before\",\"wake_at_ms\":-1}",
            "{\"run_id\":\"" + String(repeating: "z", count: 5000) + "\"}", "{\"run_id\":\"fuzz-before\",\"state\":{}}",
            "{}", "[]", "", "%", String(repeating: "[", count: 4000),
        ]
        if Int.random(in: 0..<4, using: &generator) == 0 {
            return (0..<Int.random(in: 0..<500, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        return Array(texts.randomElement(using: &generator)!.utf8)
    }

    static func gitHubBody(using generator: inout SeededGenerator) -> [UInt8] {
        let texts = [
            "{\"action\":\"completed\",\"workflow_run\":{\"id\":1,\"run_attempt\":1}}",
            "{\"action\":\"completed\",\"workflow_run\":{\"id\":-1,\"run_attempt\":99999999999999999999,\"status\":\"completed\"},\"repository\":{\"full_name\":\"a/b\"}}",
            "{\"action\":\"completed\",\"workflow_run\":null}", "{\"zen\":\"ping\"}", "{\"action\":\"requested\"}",
        ]
        return Array(texts.randomElement(using: &generator)!.utf8)
    }
}
