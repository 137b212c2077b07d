/// A part of `hookflow settings`: a transport's or a module's settings, and whether they can work.
///
/// Hookflow reports its transports (`local`, `qstash`); a module adds its own with
/// ``Application/Hookflow/reportSettings(as:_:)``.
public struct HookflowSettingsSection: Sendable {
    /// `local`, `qstash`, `github`.
    public var name: String
    /// Whether the app uses it: then a problem makes `hookflow settings` exit with status 1.
    public var active: Bool
    /// Whether it is in use or any of its settings is set; one that is not shows as not configured.
    public var configured: Bool
    public var settings: [HookflowSetting]
    /// The variables it needs that are not set.
    public var missing: [String]
    /// The values it cannot use, each naming its variable and the value (a secret's never).
    public var problems: [HookflowConfigurationError]
    /// What an operator may want to know, such as how to put it to use.
    public var notes: [String]

    /// Nothing is missing or wrong.
    public var ready: Bool { missing.isEmpty && problems.isEmpty }

    /// `configured` left out: whether it is `active` or any of `settings` came from the environment or code.
    public init(
        name: String, active: Bool, configured: Bool? = nil, settings: [HookflowSetting], missing: [String] = [],
        problems: [HookflowConfigurationError] = [], notes: [String] = []
    ) {
        self.name = name
        self.active = active
        self.configured = configured ?? (active || settings.contains { $0.source == .environment || $0.source == .code })
        self.settings = settings
        self.missing = missing
        self.problems = problems
        self.notes = notes
    }
}
