import AsyncHTTPClient
import Foundation
import Hookflow
import NIOCore
import NIOFoundationCompat

/// The contract-checked fake of GitHub's Actions API (`github_fake.py` next to this file),
/// run as a process on a free loopback port for one test.
///
/// It checks every request against `github-actions-openapi-subset.json` (the contract)
/// and every response it sends; ``violations()`` lists what did not conform.
/// It needs Python with `openapi-core` and `pyjwt[crypto]`, installed into a virtual
/// environment under `.build` (by `scripts/test`, or on first use).
public final class GitHubFakeServer: Sendable {
    public let port: Int
    private let process: Process
    private let client = HTTPClient(eventLoopGroupProvider: .singleton)

    /// `http://127.0.0.1:<port>`: the fake's API root (it also answers under `/api/v3`).
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    public static func start() async throws -> GitHubFakeServer {
        let python = try venvPython()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", folder.appendingPathComponent("github_fake.py").path, "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = try await Task.detached { try firstLine(of: output.fileHandleForReading) }.value
        guard line.hasPrefix("listening on "), let port = Int(line.dropFirst("listening on ".count)) else {
            kill(process.processIdentifier, SIGKILL)
            throw FakeError(message: "the GitHub fake did not start: '\(line)'")
        }
        output.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
        return GitHubFakeServer(port: port, process: process)
    }

    public func stop() async throws {
        // SIGKILL: a child spawned from a worker thread inherits its blocked SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        try await client.shutdown()
    }

    // MARK: Control

    /// Sends `body` to `/_fake/<path>` and returns the JSON answer.
    @discardableResult
    public func control(_ path: String, _ body: JSON? = nil) async throws -> JSON {
        var request = HTTPClientRequest(url: "\(baseURL)/_fake/\(path)")
        request.method = body == nil ? .GET : .POST
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        guard response.status.code < 300 else {
            throw FakeError(message: "/_fake/\(path): \(response.status.code) \(String(buffer: bytes))")
        }
        return try JSONDecoder().decode(JSON.self, from: Data(buffer: bytes))
    }

    /// Everything in the exchanges so far that did not conform to the contract.
    public func violations() async throws -> [String] {
        try await control("violations").arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The API requests received so far, oldest first.
    public func requests() async throws -> [JSON] {
        try await control("requests").arrayValue ?? []
    }

    /// A repository `acme/shop` (default branch `main`, refs `main` and `release`) with
    /// `deploy.yml` (id 1001; inputs `environment`, `version`, `distinct_id`, the last in its
    /// run-name), `nodispatch.yml` (no `workflow_dispatch`) and `feature.yml` (not on the
    /// default branch); the token `ghp_test`.
    public func configureShop() async throws {
        try await control("repos", [
            "owner": "acme", "repo": "shop", "default_branch": "main", "refs": ["main", "release"],
            "workflows": [
                [
                    "id": 1001, "file": "deploy.yml", "name": "Deploy", "dispatch": true, "on_default_branch": true,
                    "inputs": ["environment", "version", "distinct_id"],
                    "run_name": "Deploy [${{ inputs.distinct_id }}]",
                ],
                [
                    "id": 1002, "file": "nodispatch.yml", "name": "CI", "dispatch": false, "on_default_branch": true,
                    "inputs": [],
                ],
                [
                    "id": 1003, "file": "feature.yml", "name": "Feature", "dispatch": true, "on_default_branch": false,
                    "inputs": [],
                ],
            ],
        ])
        try await control("auth", ["tokens": ["ghp_test"]])
    }

    // MARK: Process

    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The virtual environment's Python, created with the fake's two packages when missing.
    public static func venvPython() throws -> String {
        let root = folder.deletingLastPathComponent().deletingLastPathComponent()
        let venv = root.appendingPathComponent(".build/github-fake-venv")
        let python = venv.appendingPathComponent("bin/python").path
        let ready = venv.appendingPathComponent("ready").path
        if !FileManager.default.fileExists(atPath: ready) {
            try run("/usr/bin/env", ["python3", "-m", "venv", venv.path])
            try run(python, ["-m", "pip", "install", "--quiet", "openapi-core==0.23.1", "pyjwt[crypto]"])
            FileManager.default.createFile(atPath: ready, contents: nil)
        }
        return python
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FakeError(message: "\(executable) \(arguments.prefix(3)) failed (needs python3 with venv and PyPI)")
        }
    }

    private static func firstLine(of handle: FileHandle) throws -> String {
        var data = Data()
        while !data.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }

    struct FakeError: Error, CustomStringConvertible {
        let message: String
        var description: String { "GitHub fake: \(message)" }
    }
}
