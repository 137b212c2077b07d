/// What every page of the dashboard is rendered with: where it is mounted, the page asked for,
/// and the request's cross-site request token.
package struct DashboardContext: Sendable {
    /// The dashboard's path, without a trailing slash: `/hookflow/dashboard` (empty at the root).
    package let base: String
    /// The token every form posts back.
    package let csrfToken: String
    /// The path and query of the page asked for: where an action returns to.
    package let current: String
    /// Whether the viewer signed in with the API token (the page offers to sign out).
    package let signedIn: Bool

    /// The form field that carries ``csrfToken``.
    package static let csrfField = "csrf_token"
    /// The form field that says which page to show after an action.
    package static let returnField = "return_to"

    package init(base: String, csrfToken: String, current: String = "", signedIn: Bool = false) {
        self.base = base
        self.csrfToken = csrfToken
        self.current = current
        self.signedIn = signedIn
    }

    /// `base` + `path`, `path` starting with `/`.
    package func url(_ path: String = "/") -> String { base + path }

    /// The page of one run.
    package func runURL(_ runID: String) -> String { url("/runs/" + DashboardFormat.pathSegment(runID)) }

    /// The runs list of the runs the schedule called `name` started.
    package func scheduleRunsURL(_ name: String) -> String { url("/runs") + "?schedule=" + DashboardFormat.queryValue(name) }

    /// Whether `target` is a page of this dashboard (a path under ``base``, never another host).
    package func isOwnPage(_ target: String) -> Bool {
        let root = base.isEmpty ? "/" : base + "/"
        return (target == base || target.hasPrefix(root)) && !target.hasPrefix("//") && !target.contains("\\")
    }

    /// The hidden field that carries ``csrfToken``.
    package var csrfInput: HTML { "<input type=\"hidden\" name=\"\(Self.csrfField)\" value=\"\(csrfToken)\">" }

    /// A form that posts to `path` with one button: an action on a run, a dead letter or a schedule. With
    /// `returning`, the answer shows the page it was pressed on again.
    func actionForm(
        _ path: String, label: String, style: String = "btn", confirm: String? = nil, done: String? = nil,
        fields: HTML = "", returning: Bool = false
    ) -> HTML {
        let confirmation: HTML = confirm.map { " data-confirm=\"\($0)\"" } ?? ""
        let doneText: HTML = done.map { " data-done=\"\($0)\"" } ?? ""
        let back: HTML = returning ? "<input type=\"hidden\" name=\"\(Self.returnField)\" value=\"\(current)\">" : ""
        return """
            <form class="inline-form" method="post" action="\(url(path))" data-action\(confirmation)\(doneText)>\
            \(csrfInput)\(back)\(fields)<button class="\(style)" type="submit">\(label)</button></form>
            """
    }

    /// `path` with the query parameters of `query` named in `names` (a page's filters), and `extra`.
    func link(_ path: String, keeping names: [String], of query: DashboardQuery, extra: [(String, String)] = []) -> String {
        let kept = names.compactMap { name in query.text(name).map { (name, $0) } } + extra
        guard !kept.isEmpty else { return url(path) }
        return url(path) + "?" + kept.map { $0.0 + "=" + DashboardFormat.queryValue($0.1) }.joined(separator: "&")
    }
}
