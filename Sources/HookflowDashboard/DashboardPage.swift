/// A whole page: the shell around a section's content, and the HTTP status it is answered with.
package struct DashboardPage: Sendable {
    /// The page's title, before "· Hookflow".
    package var title: String
    /// The section the navigation marks as current.
    package var section: DashboardSection?
    /// What goes in the page's `main`.
    package var content: HTML
    /// Seconds between the page's refreshes of itself; `nil`: it does not refresh.
    package var refresh: Int?
    /// The HTTP status it is answered with.
    package var status: Int = 200

    package init(title: String, section: DashboardSection?, content: HTML, refresh: Int? = nil, status: Int = 200) {
        self.title = title
        self.section = section
        self.content = content
        self.refresh = refresh
        self.status = status
    }

    /// The page's HTML.
    package func render(_ context: DashboardContext) -> HTML {
        let navigation = DashboardSection.allCases.map { item -> HTML in
            let current: HTML = item == section ? " aria-current=\"page\"" : ""
            return "<a href=\"\(context.url(item.path))\"\(current)>\(item.title)</a>"
        }
        let refreshing: HTML = refresh.map { " data-refresh=\"\($0)\"" } ?? ""
        let signOut: HTML =
            context.signedIn
            ? "<form class=\"sign-out\" method=\"post\" action=\"\(context.url("/logout"))\">\(context.csrfInput)<button class=\"btn btn-ghost btn-sm\" type=\"submit\">Sign out</button></form>"
            : ""
        return """
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
            <nav class="nav" aria-label="Dashboard">\(navigation)</nav>\(signOut)
            </header>
            <div id="flash" class="flash-region" role="status" aria-live="polite"></div>
            <main id="main" tabindex="-1"\(refreshing)>
            \(content)
            </main>
            <footer class="footer">Hookflow · times in your time zone</footer>
            </body>
            </html>
            """
    }

    /// A page that says what went wrong (`heading`: the status's reason phrase), with a link back.
    package static func error(_ message: String, heading: String, status: Int, context: DashboardContext) -> DashboardPage {
        DashboardPage(
            title: "Error", section: nil,
            content: """
                <div class="page-head"><h1>\(heading)</h1></div>
                <div class="flash flash-error">\(message)</div>
                <p><a class="btn btn-ghost" href="\(context.url())">Back to the overview</a></p>
                """,
            status: status)
    }
}
