import HookflowDashboard
import Vapor

extension DashboardPage {
    /// The page as an answer: HTML that is never cached, framed or sniffed, whose scripts and
    /// styles come from this server only.
    func response(_ context: DashboardContext) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.add(name: .cacheControl, value: "no-store")
        headers.add(name: "X-Frame-Options", value: "DENY")
        headers.add(
            name: "Content-Security-Policy",
            value: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
        headers.add(name: "Referrer-Policy", value: "same-origin")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: HTTPResponseStatus(statusCode: status), headers: headers, body: .init(string: render(context).description))
    }

    /// A page that says what went wrong, answered with `status`.
    static func error(_ message: String, status: HTTPResponseStatus, context: DashboardContext) -> DashboardPage {
        error(message, heading: status.reasonPhrase, status: Int(status.code), context: context)
    }
}

extension DashboardAssets.Asset {
    /// The file, or 304 when the browser holds it already.
    func response(for request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        if request.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified, headers: headers) }
        headers.replaceOrAdd(name: .contentType, value: contentType)
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }
}
