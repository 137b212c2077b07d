import Vapor

/// Starts Hookflow when the app boots and stops it when the app shuts down.
struct HookflowLifecycle: LifecycleHandler {
    let runtime: HookflowRuntime

    func didBootAsync(_ application: Application) async throws {
        try await runtime.start(application: application)
    }

    func shutdownAsync(_ application: Application) async {
        await runtime.stop()
    }
}
