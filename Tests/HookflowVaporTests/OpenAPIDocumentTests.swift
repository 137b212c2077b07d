import Foundation
import Hookflow
import HookflowVapor
import Vapor
import XCTVapor

/// `GET …api/openapi.json`: the JSON API's OpenAPI document, held to the routes `mountAPI` mounts.
/// (`scripts/api-fuzz` holds the answers of the demo's API to it with schemathesis.)
final class OpenAPIDocumentTests: XCTestCase {
    private func start(token: String? = nil, under prefix: String? = nil) async throws -> Application {
        let app = try await makeApp { app in
            app.hookflow.register(Checkout())
            if let token { try app.hookflow.use(apiToken: token) }
            var routes: any RoutesBuilder = app
            if let prefix { routes = app.grouped(PathComponent.constant(prefix)) }
            try app.hookflow.mountAPI(on: routes)
        }
        addTeardownBlock { try await app.asyncShutdown() }
        return app
    }

    private func served(_ app: Application, at path: String) async throws -> JSON {
        let response = try await app.testable().sendRequest(.GET, path)
        XCTAssertEqual(response.status, .ok)
        XCTAssertEqual(response.headers.contentType, HTTPMediaType.json)
        return try JSONDecoder().decode(JSON.self, from: response.body)
    }

    func testTheDocumentNamesWhereTheAPIIsMountedAndNeedsNoToken() async throws {
        let app = try await start(token: "s3cret-token-0123456789", under: "admin")
        let document = try await served(app, at: "/admin/hookflow/api/openapi.json")
        XCTAssertEqual(document["openapi"], "3.1.0")
        XCTAssertEqual(document["servers"], [["url": "/admin/hookflow/api"]])
        XCTAssertEqual(document["security"], [["bearer": []]], "a guarded API's document asks for the token")
        XCTAssertEqual(document["paths"]["/openapi.json"]["get"]["security"], [])
        let refused = try await app.testable().sendRequest(.GET, "/admin/hookflow/api/runs")
        XCTAssertEqual(refused.status, .unauthorized)
    }

    func testWithoutATokenTheDocumentAsksForNone() async throws {
        let app = try await start()
        let document = try await served(app, at: "/hookflow/api/openapi.json")
        XCTAssertEqual(document["servers"][0]["url"], "/hookflow/api")
        XCTAssertTrue(document["security"].isNull, "\(document["security"])")
    }

    func testEveryRouteOfTheAPIIsDescribedAndNothingElse() async throws {
        let app = try await start()
        let document = try await served(app, at: "/hookflow/api/openapi.json")
        // `POST runs/:run_id/:action` as ["runs", ":run_id", ":action"], relative to the server.
        let mounted = app.routes.all.compactMap { route -> (method: String, path: [String])? in
            let path = route.path.map { "\($0)" }
            guard path.starts(with: ["hookflow", "api"]) else { return nil }
            return (method: route.method.rawValue, path: Array(path.dropFirst(2)))
        }
        var described: [(method: String, path: [String])] = []
        for (path, item) in document["paths"].objectValue ?? [:] {
            for method in (item.objectValue ?? [:]).keys where ["get", "put", "post", "delete", "patch"].contains(method) {
                described.append((method: method.uppercased(), path: path.split(separator: "/").map(String.init)))
            }
        }
        // A documented `{name}` is the route's `:name`; a route's parameter takes any documented segment
        // (`:action` takes retry, rerun, fork and cancel).
        func matches(_ route: [String], _ operation: [String]) -> Bool {
            route.count == operation.count && zip(route, operation).allSatisfy { segment, documented in
                if documented.hasPrefix("{") { return segment == ":\(documented.dropFirst().dropLast())" }
                return segment == documented || segment.hasPrefix(":")
            }
        }
        XCTAssertFalse(mounted.isEmpty)
        for route in mounted {
            XCTAssertTrue(
                described.contains { $0.method == route.method && matches(route.path, $0.path) },
                "\(route.method) \(route.path.joined(separator: "/")) is mounted but not in the document")
        }
        for operation in described {
            XCTAssertTrue(
                mounted.contains { $0.method == operation.method && matches($0.path, operation.path) },
                "\(operation.method) /\(operation.path.joined(separator: "/")) is in the document but not mounted")
        }
    }

    func testEveryDocumentedActionIsOneTheRouteTakes() async throws {
        let app = try await start()
        let document = try await served(app, at: "/hookflow/api/openapi.json")
        let actions = (document["paths"].objectValue ?? [:]).keys.compactMap { path -> String? in
            let parts = path.split(separator: "/")
            return parts.count == 3 && parts[0] == "runs" && parts[1] == "{run_id}" ? String(parts[2]) : nil
        }
        XCTAssertEqual(Set(actions), ["retry", "rerun", "fork", "cancel"])
        // Of a run that does not exist: an action the route takes is run_not_found, another unknown_action.
        for action in actions {
            let response = try await app.testable().sendRequest(
                .POST, "/hookflow/api/runs/nobody/\(action)", headers: ["content-type": "application/json"],
                body: ByteBuffer(string: #"{"from_step": "charge"}"#))
            let body = try JSONDecoder().decode(JSON.self, from: response.body)
            XCTAssertEqual(response.status, .notFound, action)
            XCTAssertEqual(body["error"]["code"], "run_not_found", "\(action): \(body)")
        }
    }
}
