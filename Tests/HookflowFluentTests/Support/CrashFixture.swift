import Foundation

/// Starts the crash fixture (`Tests/HookflowCrashFixture`) with `environment` added to this
/// process's, its output discarded.
func startCrashFixture(_ environment: [String: String]) throws -> Process {
    let process = Process()
    process.executableURL = try builtExecutable("HookflowCrashFixture")
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}
