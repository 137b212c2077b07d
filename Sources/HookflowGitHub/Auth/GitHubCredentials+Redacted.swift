// Credentials never print: not through "\(value)", String(reflecting:) nor dump().

extension GitHubCredentials: CustomStringConvertible, CustomReflectable {
    public var description: String {
        switch self {
        case .token: "GitHubCredentials.token(<redacted>)"
        case .app(let app): "GitHubCredentials.app(\(app))"
        }
    }

    public var customMirror: Mirror { Mirror(self, children: ["credentials": description]) }
}

extension GitHubAppCredentials: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "GitHubAppCredentials(appID: \(appID), installationID: \(installationID), privateKeyPEM: <redacted>)"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["appID": appID, "installationID": installationID, "privateKeyPEM": "<redacted>"])
    }
}

extension GitHubSettings: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "GitHubSettings(credentials: \(credentials.map { "\($0)" } ?? "none"), "
            + "defaultRepository: \(defaultRepository.map { "\($0)" } ?? "none"), apiURL: \(apiURL), "
            + "webhookSecret: \(webhookSecret == nil ? "none" : "<redacted>"))"
    }

    public var customMirror: Mirror { Mirror(self, children: ["settings": description]) }
}
