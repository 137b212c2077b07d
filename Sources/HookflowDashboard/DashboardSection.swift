/// The sections of the dashboard, as its navigation shows them.
package enum DashboardSection: String, CaseIterable, Sendable {
    case overview, runs, workflows, schedules, deadLetters

    var title: String {
        switch self {
        case .overview: "Overview"
        case .runs: "Runs"
        case .workflows: "Workflows"
        case .schedules: "Schedules"
        case .deadLetters: "Dead letters"
        }
    }

    var path: String {
        switch self {
        case .overview: "/"
        case .runs: "/runs"
        case .workflows: "/workflows"
        case .schedules: "/schedules"
        case .deadLetters: "/dead-letters"
        }
    }
}
