/// What an environment's settings make, and every one of them that is wrong.
struct EnvironmentReading: Sendable {
    /// The configuration, with the default in place of each setting that is wrong.
    var configuration: HookflowConfiguration
    /// The settings that are wrong, each naming its variable; empty when the configuration can be used.
    var problems: [HookflowConfigurationError]
}
