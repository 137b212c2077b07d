import HookflowGitHub
import HookflowVapor

extension GitHubError {
    /// The error with the `GITHUB_*` variable it is about named, when it is about one: for
    /// settings that came from the environment.
    var namingTheEnvironment: any Error {
        let variable: String? =
            switch self {
            case .unauthorized: "GITHUB_PERSONAL_ACCESS_TOKEN"
            case .unsupportedAPIVersion: "GITHUB_API_VERSION"
            case .missingRepository: "GITHUB_DEFAULT_REPO"
            default: nil
            }
        guard let variable else { return self }
        return HookflowConfigurationError(setting: variable, message: description)
    }
}
