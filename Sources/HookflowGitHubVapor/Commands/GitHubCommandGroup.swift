import Vapor

/// `hookflow github`: GitHub Actions with the app's GitHub settings.
struct GitHubCommandGroup: AsyncCommandGroup {
    let commands: [String: any AnyAsyncCommand] = ["dispatch": GitHubDispatchCommand()]

    var help: String { "GitHub Actions with the app's GitHub settings" }
}
