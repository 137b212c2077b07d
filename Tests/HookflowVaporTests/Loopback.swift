import AsyncHTTPClient
import Foundation
import Hookflow
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import QStashDevServer
import XCTest

/// The demo and the local QStash server as real processes on loopback, and plain HTTP to them.
enum Loopback {
    // MARK: Processes

    static func startDemo(port: Int, environment: [String: String], folder: URL, log: String) async throws -> Process {
        let process = try launch(
            "hookflow-demo", ["serve", "--hostname", "127.0.0.1", "--port", "\(port)"], in: folder, log: log,
            environment: environment)
        _ = try await poll(timeout: .seconds(20)) { try? await get("http://127.0.0.1:\(port)/") }
        return process
    }

    /// `hookflow-qstash-dev` on a free port (time scaled by 0.01), its URL, and the environment
    /// that puts the demo on port `demoPort` on the QStash transport through it.
    static func startQStash(
        in folder: URL, demoPort: Int, paymentWaitSeconds: Int
    ) async throws -> (server: Process, url: String, environment: [String: String]) {
        let port = try freePort()
        let url = "http://127.0.0.1:\(port)"
        let server = try launch("hookflow-qstash-dev", ["--port", "\(port)", "--time-scale", "0.01"], in: folder, log: "qstash.log")
        _ = try await poll(timeout: .seconds(20)) { try? await get(url + "/v2/keys") }
        let environment = [
            "HOOKFLOW_TRANSPORT": "qstash", "QSTASH_URL": url, "QSTASH_TOKEN": QStashDevConfiguration.developmentToken,
            "QSTASH_CURRENT_SIGNING_KEY": "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
            "QSTASH_NEXT_SIGNING_KEY": "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs",
            "HOOKFLOW_DOMAIN": "http://127.0.0.1:\(demoPort)", "HOOKFLOW_DEMO_PAYMENT_WAIT_SECONDS": "\(paymentWaitSeconds)",
        ]
        return (server, url, environment)
    }

    static func launch(
        _ name: String, _ arguments: [String], in folder: URL, log: String, environment: [String: String] = [:]
    ) throws -> Process {
        let bundle = Bundle(for: BundleMarker.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
        let executable = try XCTUnwrap(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let logURL = folder.appendingPathComponent(log)
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: logURL)
        process.standardError = process.standardOutput
        try process.run()
        return process
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                guard bind(descriptor, generic, length) == 0, getsockname(descriptor, generic, &length) == 0 else {
                    throw POSIXError(.EADDRINUSE)
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: HTTP

    static func get(_ url: String) async throws -> JSON {
        try await request(.GET, url, body: nil)
    }

    static func post(_ url: String, _ body: String) async throws -> JSON {
        try await request(.POST, url, body: body)
    }

    static func request(_ method: HTTPMethod, _ url: String, body: String?) async throws -> JSON {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(QStashDevConfiguration.developmentToken)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONDecoder().decode(JSON.self, from: Data(buffer: bytes))) ?? .string(String(buffer: bytes))
    }

    static func deliveries(_ qstash: String, state: String) async throws -> Int {
        try await get(qstash + "/v2/events")["events"].arrayValue?.filter { $0["state"].stringValue == state }.count ?? 0
    }

    static func waitForRun(_ runID: String, at demo: String, toBe status: String, timeout: Duration = .seconds(20)) async throws -> JSON {
        try await poll(timeout: timeout) {
            let run = try? await get(demo + "/hookflow/api/runs/\(runID)")
            return run?["status"].stringValue == status ? run : nil
        }
    }

    static func poll<T>(timeout: Duration, _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw POSIXError(.ETIMEDOUT)
    }
}

/// A class of this test bundle, to find the executables built beside it.
private final class BundleMarker {}
