import Foundation
import Vapor

/// What every page of the dashboard is rendered with: where it is mounted and the request's
/// cross-site request token.
struct DashboardContext: Sendable {
    /// The dashboard's path, without a trailing slash: `/hookflow/dashboard`.
    let base: String
    /// The token every form posts back (``DashboardCSRF``).
    let csrfToken: String

    /// `base` + `path`, `path` starting with `/` (or empty: the overview).
    func url(_ path: String = "/") -> String { base + path }

    /// The hidden field that carries ``csrfToken``.
    var csrfField: HTML { "<input type=\"hidden\" name=\"\(DashboardCSRF.field)\" value=\"\(csrfToken)\">" }

    /// A form that posts to `path` with one button: an action on a run or a dead letter.
    func actionForm(
        _ path: String, label: String, style: String = "btn", confirm: String? = nil, done: String? = nil,
        fields: HTML = ""
    ) -> HTML {
        let confirmation: HTML = confirm.map { " data-confirm=\"\($0)\"" } ?? ""
        let doneText: HTML = done.map { " data-done=\"\($0)\"" } ?? ""
        return """
            <form class="inline-form" method="post" action="\(url(path))" data-action\(confirmation)\(doneText)>\
            \(csrfField)\(fields)<button class="\(style)" type="submit">\(label)</button></form>
            """
    }
}

/// The sections of the dashboard, as its navigation shows them.
enum DashboardSection: String, CaseIterable, Sendable {
    case overview, runs, workflows, deadLetters

    var title: String {
        switch self {
        case .overview: "Overview"
        case .runs: "Runs"
        case .workflows: "Workflows"
        case .deadLetters: "Dead letters"
        }
    }

    var path: String {
        switch self {
        case .overview: "/"
        case .runs: "/runs"
        case .workflows: "/workflows"
        case .deadLetters: "/dead-letters"
        }
    }
}

/// A whole page: the shell around a section's content.
struct DashboardPage {
    var title: String
    var section: DashboardSection?
    var content: HTML
    /// Seconds between the page's refreshes of itself; `nil`: it does not refresh.
    var refresh: Int?
    var status: HTTPResponseStatus = .ok

    func response(_ context: DashboardContext) -> Response {
        let navigation = DashboardSection.allCases.map { item -> HTML in
            let current: HTML = item == section ? " aria-current=\"page\"" : ""
            return "<a href=\"\(context.url(item.path))\"\(current)>\(item.title)</a>"
        }
        let refreshing: HTML = refresh.map { " data-refresh=\"\($0)\"" } ?? ""
        let page: HTML = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta name="hookflow-base" content="\(context.base)">
            <title>\(title) · Hookflow</title>
            <link rel="stylesheet" href="\(context.url(DashboardAssets.stylesheetPath))">
            <script src="\(context.url(DashboardAssets.scriptPath))" defer></script>
            </head>
            <body>
            <a class="skip-link" href="#main">Skip to content</a>
            <header class="topbar">
            <a class="brand" href="\(context.url())"><span class="brand-mark" aria-hidden="true"></span>Hookflow</a>
            <nav class="nav" aria-label="Dashboard">\(navigation)</nav>
            </header>
            <div id="flash" class="flash-region" role="status" aria-live="polite"></div>
            <main id="main" tabindex="-1"\(refreshing)>
            \(content)
            </main>
            <footer class="footer">Hookflow · times in your time zone</footer>
            </body>
            </html>
            """
        return DashboardPage.htmlResponse(page, status: status)
    }

    static func htmlResponse(_ page: HTML, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.add(name: .cacheControl, value: "no-store")
        // Never framed by another site (clickjacking); scripts and styles only from this server.
        headers.add(name: "X-Frame-Options", value: "DENY")
        headers.add(
            name: "Content-Security-Policy",
            value: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
        headers.add(name: "Referrer-Policy", value: "same-origin")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: status, headers: headers, body: .init(string: page.description))
    }

    /// A page that says what went wrong, with a link back.
    static func error(_ message: String, status: HTTPResponseStatus, context: DashboardContext) -> DashboardPage {
        DashboardPage(
            title: "Error", section: nil,
            content: """
                <div class="page-head"><h1>\(status.reasonPhrase)</h1></div>
                <div class="flash flash-error">\(message)</div>
                <p><a class="btn btn-ghost" href="\(context.url())">Back to the overview</a></p>
                """,
            status: status)
    }
}
