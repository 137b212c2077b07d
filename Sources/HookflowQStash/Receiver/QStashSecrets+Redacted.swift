// Signing keys and tokens never print: not through "\(value)", String(reflecting:) nor dump().

extension QStashSigningKeys: CustomStringConvertible, CustomReflectable {
    public var description: String { "QStashSigningKeys(current: <redacted>, next: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["current": "<redacted>", "next": "<redacted>"]) }
}

extension QStashReceiver: CustomStringConvertible, CustomReflectable {
    public var description: String { "QStashReceiver(keys: \(keys))" }
    public var customMirror: Mirror { Mirror(self, children: ["keys": "\(keys)"]) }
}

extension QStashSigner: CustomStringConvertible, CustomReflectable {
    public var description: String { "QStashSigner(key: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["key": "<redacted>"]) }
}

extension QStashClient: CustomStringConvertible, CustomReflectable {
    public var description: String { "QStashClient(baseURL: \(baseURL), token: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL, "token": "<redacted>"]) }
}
