import Crypto
import Foundation

/// The dashboard's stylesheet and script: package resources of this module (a deployment
/// copies `hookflow_HookflowDashboard.resources` next to the binary, as Vapor's Dockerfile does
/// with every `*.resources` bundle), read once.
package struct DashboardAssets: Sendable {
    /// Where the stylesheet is served, under the dashboard's path.
    package static let stylesheetPath = "/assets/dashboard.css"
    /// Where the script is served, under the dashboard's path.
    package static let scriptPath = "/assets/dashboard.js"

    package struct Asset: Sendable {
        package let body: String
        /// `text/css; charset=utf-8` or `text/javascript; charset=utf-8`.
        package let contentType: String
        /// A strong ETag of the body.
        package let etag: String
    }

    package let stylesheet: Asset
    package let script: Asset

    /// Reads both files; an error names the one missing.
    package static func load() throws -> DashboardAssets {
        DashboardAssets(
            stylesheet: try asset("dashboard", "css", "text/css; charset=utf-8"),
            script: try asset("dashboard", "js", "text/javascript; charset=utf-8"))
    }

    private static func asset(_ name: String, _ ext: String, _ type: String) throws -> Asset {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Assets"),
            let data = try? Data(contentsOf: url)
        else { throw MissingDashboardAssetError(file: "\(name).\(ext)") }
        let digest = SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
        return Asset(body: String(decoding: data, as: UTF8.self), contentType: type, etag: "\"\(digest)\"")
    }
}
