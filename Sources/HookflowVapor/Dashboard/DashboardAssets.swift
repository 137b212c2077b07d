import Crypto
import Foundation
import Vapor

/// The dashboard's stylesheet and script: package resources of this module (a deployment
/// copies `hookflow_HookflowVapor.resources` next to the binary, as Vapor's Dockerfile does with
/// every `*.resources` bundle), read once and served with an ETag.
struct DashboardAssets: Sendable {
    static let stylesheetPath = "/assets/dashboard.css"
    static let scriptPath = "/assets/dashboard.js"

    struct Asset: Sendable {
        let body: String
        let contentType: HTTPMediaType
        let etag: String
    }

    let stylesheet: Asset
    let script: Asset

    /// Reads both files; an error names the one missing.
    static func load() throws -> DashboardAssets {
        DashboardAssets(
            stylesheet: try asset("dashboard", "css", HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])),
            script: try asset("dashboard", "js", HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])))
    }

    private static func asset(_ name: String, _ ext: String, _ type: HTTPMediaType) throws -> Asset {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Assets"),
            let data = try? Data(contentsOf: url)
        else {
            throw Abort(.internalServerError, reason: "the dashboard's \(name).\(ext) is missing from the hookflow_HookflowVapor resources")
        }
        let digest = SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
        return Asset(body: String(decoding: data, as: UTF8.self), contentType: type, etag: "\"\(digest)\"")
    }

    /// `asset`, or 304 when the browser holds it already.
    static func response(_ asset: Asset, for request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: asset.etag)
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        if request.headers.first(name: .ifNoneMatch) == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        headers.contentType = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(string: asset.body))
    }
}
