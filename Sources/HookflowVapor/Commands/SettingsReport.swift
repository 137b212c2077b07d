import Foundation
import Hookflow
import HookflowQStash

/// What `hookflow settings` reports: every setting with its value in force and where it came
/// from, whether each transport (and each module's section) is ready, and the settings in use
/// that are wrong.
struct SettingsReport {
    /// The transport asked for: `local`, `qstash`, or the unknown value `HOOKFLOW_TRANSPORT` holds.
    let transport: String
    /// Hookflow's settings, whatever the transport.
    let settings: [HookflowSetting]
    /// `local` and `qstash`.
    let transports: [HookflowSettingsSection]
    /// The modules' sections (HookflowGitHubVapor's `github`).
    let integrations: [HookflowSettingsSection]
    /// The settings in use that are wrong: with any, the app does not start (or a module in use fails).
    let problems: [HookflowConfigurationError]

    /// The report of `environment` with the code-level settings and the module sections of `runtime`.
    init(environment: [String: String], runtime: HookflowRuntime) {
        let reading = HookflowConfiguration.read(environment)
        let resolved = runtime.overriding(reading.configuration)
        // As the app: the environment's first wrong setting stops it; only when there is none are
        // the settings in force (with the code's) checked together.
        let wrong = reading.problems.isEmpty ? resolved.problems : reading.problems
        let values = Values(environment: environment, read: reading.configuration, resolved: resolved, problems: wrong)
        let transportSetting = values.transport()
        let transport = transportSetting.value ?? "local"

        let settings: [HookflowSetting] = [
            transportSetting,
            values.setting("HOOKFLOW_DATABASE_URL", raw: Self.withoutPassword) { $0.database.description },
            values.setting("HOOKFLOW_PERSISTENCE_ENABLED") { "\($0.persistenceEnabled)" },
            values.setting("HOOKFLOW_LEASE_SECONDS") { Self.seconds($0.leaseDuration) },
            values.setting("HOOKFLOW_WEBHOOK_PATH") { $0.webhookPath },
            values.setting("HOOKFLOW_MAX_PAYLOAD_SIZE") { "\($0.maxPayloadSize)" },
            values.setting("HOOKFLOW_SWEEP_INTERVAL_SECONDS") { Self.seconds($0.sweepInterval) },
            values.setting("HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS") { Self.seconds($0.shutdownTimeout) },
            values.setting("HOOKFLOW_CANCELLATION_GRACE_SECONDS") { Self.seconds($0.cancellationGracePeriod) },
            values.setting("HOOKFLOW_MAX_CHILD_DEPTH") { "\($0.maxChildDepth)" },
            values.setting("HOOKFLOW_RETENTION_DAYS") { configuration in
                configuration.retention.map { Self.number(HookflowTime.seconds(of: $0) / 86_400) }
            },
            values.setting("HOOKFLOW_API_TOKEN", secret: true) { $0.apiToken?.value },
        ]

        // Local: the settings in force, as if the transport were local.
        var asLocal = resolved
        asLocal.transport = .local()
        let local = HookflowSettingsSection(
            name: "local", active: transport == "local", configured: true,
            settings: [
                values.setting("HOOKFLOW_WORKERS") { configuration in
                    guard case .local(let workers) = configuration.transport.kind else { return nil }
                    return "\(workers)"
                }
            ],
            problems: wrong.filter { $0.setting == "HOOKFLOW_WORKERS" } + asLocal.problems)

        let qstash = Self.qstash(values: values, active: transport == "qstash")
        let integrations = runtime.settingsSections()
        // A module in use with a wrong setting fails when it is used: it counts too.
        var seen = Set<String>()
        let problems = (wrong + integrations.filter(\.active).flatMap(\.problems)).filter { seen.insert($0.description).inserted }

        self.transport = transport
        self.settings = settings
        self.transports = [local, qstash]
        self.integrations = integrations
        self.problems = problems
    }

    /// The report for a person: every setting in one table, then each section's state, then what is wrong.
    var text: String {
        let rows = (settings + (transports + integrations).flatMap(\.settings)).map { setting in
            [setting.variable, setting.value.map { $0.isEmpty ? "(empty)" : $0 } ?? "-", setting.source.rawValue]
        }
        var lines = [CommandOutput.table(["SETTING", "VALUE", "SOURCE"], rows), ""]
        for section in transports + integrations {
            lines.append("\(section.name): \(Self.state(of: section))")
            if !section.missing.isEmpty { lines.append("  missing: \(section.missing.joined(separator: ", "))") }
            lines += section.problems.map { "  \($0)" }
            lines += section.notes.map { "  note: \($0)" }
        }
        lines.append("")
        if problems.isEmpty {
            lines.append("the settings in use are valid")
        } else {
            lines.append("wrong settings in use:")
            lines += problems.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    static func state(of section: HookflowSettingsSection) -> String {
        switch (section.active, section.configured, section.ready) {
        case (true, _, true): "ready (in use)"
        case (true, _, false): "not ready (in use)"
        case (false, false, _): "not configured"
        case (false, true, true): "ready (not in use)"
        case (false, true, false): "not ready (not in use)"
        }
    }

    /// The QStash section: the settings the code gave, or those of the environment and what they miss.
    private static func qstash(values: Values, active: Bool) -> HookflowSettingsSection {
        if case .qstash(let settings) = values.resolved.transport.kind, values.resolved.transport != values.read.transport {
            return HookflowSettingsSection(
                name: "qstash", active: active, configured: true,
                settings: [
                    HookflowSetting("QSTASH_URL", value: settings.url, source: .code),
                    .secret("QSTASH_TOKEN", value: settings.token, source: .code),
                    .secret("QSTASH_CURRENT_SIGNING_KEY", value: settings.signingKeys.current, source: .code),
                    .secret("QSTASH_NEXT_SIGNING_KEY", value: settings.signingKeys.next, source: .code),
                    HookflowSetting("HOOKFLOW_DOMAIN", value: settings.domain, source: .code),
                    HookflowSetting("HOOKFLOW_INVOCATION_BUDGET_SECONDS", value: seconds(settings.invocationBudget), source: .code),
                    HookflowSetting("QSTASH_CLOCK_TOLERANCE_SECONDS", value: seconds(settings.clockTolerance), source: .code),
                ],
                problems: settings.problems)
        }
        let reading = HookflowConfiguration.readQStash(from: values.environment)
        let missing = reading.missing
        var notes: [String] = []
        if !active && reading.problems.isEmpty { notes.append("set HOOKFLOW_TRANSPORT=qstash to use it") }
        return HookflowSettingsSection(
            name: "qstash", active: active,
            settings: [
                values.given("QSTASH_URL", default: QStashClient.defaultBaseURL),
                values.given("QSTASH_TOKEN", secret: true),
                values.given("QSTASH_CURRENT_SIGNING_KEY", secret: true),
                values.given("QSTASH_NEXT_SIGNING_KEY", secret: true),
                values.given("HOOKFLOW_DOMAIN"),
                values.given("HOOKFLOW_INVOCATION_BUDGET_SECONDS", default: "30"),
                values.given("QSTASH_CLOCK_TOLERANCE_SECONDS", default: "0"),
            ],
            missing: missing,
            problems: reading.problems.filter { !missing.contains($0.setting) },
            notes: notes)
    }

    /// A number of seconds as an operator writes it: `30`, `2.5`.
    static func seconds(_ duration: Duration) -> String {
        number(HookflowTime.seconds(of: duration))
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A database URL as given, without its password; all of it redacted when it cannot be read as a URL.
    static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return HookflowSetting.redacted }
        let password = components.password
        components.password = nil
        guard let shown = components.string else { return HookflowSetting.redacted }
        if let password, !password.isEmpty, shown.contains(password) { return HookflowSetting.redacted }
        return shown
    }

    /// Where each value comes from: the environment, what Hookflow made of it, and the settings in force.
    struct Values {
        let environment: [String: String]
        /// The environment's configuration, with defaults in place of wrong settings.
        let read: HookflowConfiguration
        /// `read` with the code-level settings.
        let resolved: HookflowConfiguration
        /// The settings in use that are wrong.
        let problems: [HookflowConfigurationError]

        /// `variable`, whose value a configuration holds as `shown` gives it. A value the app
        /// refuses shows as given, through `raw` (a secret's never shows).
        func setting(
            _ variable: String, secret: Bool = false, raw: (String) -> String = { $0 },
            _ shown: (HookflowConfiguration) -> String?
        ) -> HookflowSetting {
            let given = environment[variable]
            let value: String?
            let source: HookflowSetting.Source
            if let given, problems.contains(where: { $0.setting == variable }) {
                value = raw(given)
                source = .environment
            } else if shown(resolved) != shown(read) {
                value = shown(resolved)
                source = .code
            } else {
                value = shown(resolved)
                source = given != nil ? .environment : value == nil ? .unset : .default
            }
            return secret ? .secret(variable, value: value, source: source) : HookflowSetting(variable, value: value, source: source)
        }

        /// A setting read from the environment only: its value as given, or `fallback`.
        func given(_ variable: String, secret: Bool = false, default fallback: String? = nil) -> HookflowSetting {
            let given = environment[variable]
            let value = given ?? fallback
            let source: HookflowSetting.Source = given != nil ? .environment : fallback != nil ? .default : .unset
            return secret ? .secret(variable, value: value, source: source) : HookflowSetting(variable, value: value, source: source)
        }

        /// `HOOKFLOW_TRANSPORT`; a transport asked for that could not be made (its settings are
        /// missing) shows as asked.
        func transport() -> HookflowSetting {
            let inForce = setting("HOOKFLOW_TRANSPORT") { $0.transport.name }
            guard inForce.source == .environment, let asked = environment["HOOKFLOW_TRANSPORT"]?.lowercased(), asked != inForce.value
            else { return inForce }
            return HookflowSetting("HOOKFLOW_TRANSPORT", value: asked, source: .environment)
        }
    }
}

extension HookflowTransportConfiguration {
    /// `local` or `qstash`, as `HOOKFLOW_TRANSPORT` names it.
    fileprivate var name: String {
        switch kind {
        case .local: "local"
        case .qstash: "qstash"
        }
    }
}
