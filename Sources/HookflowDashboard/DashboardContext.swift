/// What every page of the dashboard is rendered with: where it is mounted and the request's
/// cross-site request token.
package struct DashboardContext: Sendable {
    /// The dashboard's path, without a trailing slash: `/hookflow/dashboard`.
    package let base: String
    /// The token every form posts back.
    package let csrfToken: String

    /// The form field that carries ``csrfToken``.
    package static let csrfField = "csrf_token"

    package init(base: String, csrfToken: String) {
        self.base = base
        self.csrfToken = csrfToken
    }

    /// `base` + `path`, `path` starting with `/`.
    package func url(_ path: String = "/") -> String { base + path }

    /// The hidden field that carries ``csrfToken``.
    package var csrfInput: HTML { "<input type=\"hidden\" name=\"\(Self.csrfField)\" value=\"\(csrfToken)\">" }

    /// A form that posts to `path` with one button: an action on a run or a dead letter.
    func actionForm(
        _ path: String, label: String, style: String = "btn", confirm: String? = nil, done: String? = nil,
        fields: HTML = ""
    ) -> HTML {
        let confirmation: HTML = confirm.map { " data-confirm=\"\($0)\"" } ?? ""
        let doneText: HTML = done.map { " data-done=\"\($0)\"" } ?? ""
        return """
            <form class="inline-form" method="post" action="\(url(path))" data-action\(confirmation)\(doneText)>\
            \(csrfInput)\(fields)<button class="\(style)" type="submit">\(label)</button></form>
            """
    }
}

/// The sections of the dashboard, as its navigation shows them.
package enum DashboardSection: String, CaseIterable, Sendable {
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
