import Vapor

extension HookflowConfiguration {
    /// ``webhookPath`` as route components: what Hookflow's routes are mounted under.
    var routePath: [PathComponent] {
        webhookPath.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
    }
}
