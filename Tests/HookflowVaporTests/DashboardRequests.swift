import Foundation
import Vapor
import XCTVapor

/// A GET of a dashboard page, and its HTML.
func page(_ app: Application, _ path: String, headers: HTTPHeaders = [:]) async throws -> (XCTHTTPResponse, String) {
    let response = try await app.testable().sendRequest(.GET, path, headers: headers)
    return (response, response.body.string)
}

/// The CSRF cookie a page handed out: the forms carry the same value.
func csrf(_ response: XCTHTTPResponse) throws -> (cookie: String, token: String) {
    let cookie = try XCTUnwrap(response.headers.setCookie?[DashboardCSRFName.cookie]?.string, "no CSRF cookie")
    return (cookie, cookie)
}

/// A dashboard form's POST, with the CSRF cookie when there is one.
func post(
    _ app: Application, _ path: String, form: [String: String], cookie: String?, headers extra: HTTPHeaders = [:]
) async throws -> XCTHTTPResponse {
    var headers: HTTPHeaders = ["content-type": "application/x-www-form-urlencoded"]
    if let cookie { headers.add(name: .cookie, value: "\(DashboardCSRFName.cookie)=\(cookie)") }
    headers.add(contentsOf: extra)
    let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        .joined(separator: "&")
    return try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
}

/// The dashboard's cookie names, as a browser sees them.
enum DashboardCSRFName {
    static let cookie = "hookflow_csrf"
}
