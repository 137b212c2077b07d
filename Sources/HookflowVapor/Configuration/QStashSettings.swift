import HookflowQStash

/// What the QStash transport needs: access to QStash, the keys its deliveries are
/// signed with, and the public address QStash calls.
public struct QStashSettings: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// `QSTASH_URL`: Upstash's EU endpoint by default; `http://127.0.0.1:8080` for `hookflow-qstash-dev`.
    public var url: String
    /// `QSTASH_TOKEN`.
    public var token: String
    /// `QSTASH_CURRENT_SIGNING_KEY` and `QSTASH_NEXT_SIGNING_KEY`.
    public var signingKeys: QStashSigningKeys
    /// `HOOKFLOW_DOMAIN`: the public base URL QStash calls, such as `https://app.example.com`.
    /// The signature's `sub` is checked against it plus the request's path, never the Host header.
    public var domain: String
    /// `HOOKFLOW_INVOCATION_BUDGET_SECONDS`: how long one delivery keeps executing steps
    /// before it hands the run to a new message.
    public var invocationBudget: Duration
    /// `QSTASH_CLOCK_TOLERANCE_SECONDS`: slack for the signature's `exp` and `nbf`.
    public var clockTolerance: Duration

    public init(
        url: String = QStashClient.defaultBaseURL, token: String, signingKeys: QStashSigningKeys, domain: String,
        invocationBudget: Duration = .seconds(30), clockTolerance: Duration = .zero
    ) {
        self.url = url
        self.token = token
        self.signingKeys = signingKeys
        self.domain = domain.hasSuffix("/") ? String(domain.dropLast()) : domain
        self.invocationBudget = invocationBudget
        self.clockTolerance = clockTolerance
    }

    /// Everything but the token and keys.
    public var description: String {
        "QStashSettings(url: \(url), domain: \(domain), invocationBudget: \(invocationBudget), token: <redacted>)"
    }

    public var customMirror: Mirror { Mirror(self, children: ["settings": description]) }

    /// Throws the first of ``problems``.
    func validate() throws {
        if let problem = problems.first { throw problem }
    }

    /// The values that cannot work, each naming its variable (never with a token's or key's value).
    var problems: [HookflowConfigurationError] {
        var problems: [HookflowConfigurationError] = []
        if !(domain.hasPrefix("https://") || domain.hasPrefix("http://")) {
            problems.append(HookflowConfigurationError(
                setting: "HOOKFLOW_DOMAIN", message: "must be the public base URL QStash calls, like https://app.example.com; got '\(domain)'"))
        }
        if token.isEmpty {
            problems.append(HookflowConfigurationError(setting: "QSTASH_TOKEN", message: "is empty"))
        }
        do {
            try signingKeys.validate()
        } catch let error as QStashSigningKeyError {
            let variable = error.setting == "QStashSigningKeys.next" ? "QSTASH_NEXT_SIGNING_KEY" : "QSTASH_CURRENT_SIGNING_KEY"
            problems.append(HookflowConfigurationError(setting: variable, message: "\(error)"))
        } catch {
            problems.append(HookflowConfigurationError(setting: "QSTASH_CURRENT_SIGNING_KEY", message: "\(error)"))
        }
        // The development keys are public: on a public https address anyone could sign deliveries with them.
        let development = QStashSigningKeys.development
        for (setting, key) in [("QSTASH_CURRENT_SIGNING_KEY", signingKeys.current), ("QSTASH_NEXT_SIGNING_KEY", signingKeys.next)]
        where domain.hasPrefix("https://") && (key == development.current || key == development.next) {
            problems.append(HookflowConfigurationError(
                setting: setting,
                message: "is the public key of QStash's local development server, refused with an https HOOKFLOW_DOMAIN; "
                    + "copy the signing keys from the Upstash console"))
        }
        return problems
    }
}
