/// One setting as `hookflow settings` shows it: its variable, the value in force (a secret's
/// redacted, as Hookflow's credential types print theirs) and where the value came from.
///
/// ```swift
/// HookflowSetting("SLACK_CHANNEL", value: channel, source: .environment)
/// HookflowSetting.secret("SLACK_TOKEN", value: token, source: .environment)   // shows <redacted>
/// ```
public struct HookflowSetting: Sendable, Hashable {
    /// Where a value came from.
    public enum Source: String, Sendable, Hashable {
        /// Its environment variable.
        case environment
        /// The app's code (`app.hookflow.use(…)`), which wins over the environment.
        case code
        /// Neither: the default.
        case `default`
        /// Neither, and there is no default.
        case unset
    }

    /// What a secret shows instead of its value.
    public static let redacted = "<redacted>"

    /// The environment variable, such as `HOOKFLOW_API_TOKEN`.
    public let variable: String
    /// The value as shown; `nil` when there is none. A secret's is ``redacted``.
    public let value: String?
    public let source: Source
    /// Whether the value is a credential, never shown.
    public let secret: Bool

    /// A setting whose value may be shown.
    public init(_ variable: String, value: String?, source: Source) {
        self.init(variable: variable, value: value, source: source, secret: false)
    }

    private init(variable: String, value: String?, source: Source, secret: Bool) {
        self.variable = variable
        self.value = value
        self.source = source
        self.secret = secret
    }

    /// A credential: only whether it is set shows (``redacted``), never its value, which is not kept.
    public static func secret(_ variable: String, value: String?, source: Source) -> HookflowSetting {
        HookflowSetting(variable: variable, value: masked(value), source: source, secret: true)
    }

    /// `value` as a secret shows: ``redacted`` when set; `nil` when not; empty when empty (as good as unset).
    static func masked(_ value: String?) -> String? {
        guard let value else { return nil }
        return value.isEmpty ? "" : redacted
    }
}
