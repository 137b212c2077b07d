/// `hookflow settings --json`: one object with stable snake_case keys, for scripts.
///
/// ```json
/// {"valid": true, "transport": "local", "problems": [],
///  "settings": [{"variable": "HOOKFLOW_API_TOKEN", "value": "<redacted>", "source": "environment", "secret": true}, …],
///  "transports": [{"name": "local", "active": true, "configured": true, "ready": true, "missing": [],
///                  "problems": [], "notes": [], "settings": […]}, …],
///  "integrations": [{"name": "github", …}]}
/// ```
struct SettingsResponse: Encodable {
    struct Setting: Encodable {
        let variable: String
        /// `null` when unset.
        let value: String?
        let source: String
        let secret: Bool

        init(_ setting: HookflowSetting) {
            variable = setting.variable
            value = setting.value
            source = setting.source.rawValue
            secret = setting.secret
        }

        enum CodingKeys: String, CodingKey { case variable, value, source, secret }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(variable, forKey: .variable)
            try container.encode(value, forKey: .value)  // null rather than left out: the keys stay the same
            try container.encode(source, forKey: .source)
            try container.encode(secret, forKey: .secret)
        }
    }

    struct Problem: Encodable {
        let setting: String
        let message: String

        init(_ error: HookflowConfigurationError) {
            setting = error.setting
            message = error.message
        }
    }

    struct Section: Encodable {
        let name: String
        let active: Bool
        let configured: Bool
        let ready: Bool
        let missing: [String]
        let problems: [Problem]
        let notes: [String]
        let settings: [Setting]

        init(_ section: HookflowSettingsSection) {
            name = section.name
            active = section.active
            configured = section.configured
            ready = section.ready
            missing = section.missing
            problems = section.problems.map(Problem.init)
            notes = section.notes
            settings = section.settings.map(Setting.init)
        }
    }

    /// No setting in use is wrong: the command exits with status 0.
    let valid: Bool
    let transport: String
    let settings: [Setting]
    let transports: [Section]
    let integrations: [Section]
    let problems: [Problem]

    init(_ report: SettingsReport) {
        valid = report.problems.isEmpty
        transport = report.transport
        settings = report.settings.map(Setting.init)
        transports = report.transports.map(Section.init)
        integrations = report.integrations.map(Section.init)
        problems = report.problems.map(Problem.init)
    }
}
