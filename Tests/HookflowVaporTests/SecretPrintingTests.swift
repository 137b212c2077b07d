import Foundation
import HookflowGitHub
import HookflowQStash
import HookflowVapor
import XCTest

/// Credentials never print in clear, however a value is printed (issue 10).
final class SecretPrintingTests: XCTestCase {
    func testCredentialTypesPrintRedactedThroughInterpolationReflectionAndDump() {
        let keys = QStashSigningKeys(current: "sig_CURRENTSECRETCURRENTSECRET0000", next: "sig_NEXTSECRETNEXTSECRETNEXT000000")
        let settings = QStashSettings(token: "QSTASH-TOKEN-SECRET", signingKeys: keys, domain: "https://app.example.com")
        let github = GitHubSettings(
            credentials: .app(GitHubAppCredentials(appID: "Iv1.app", privateKeyPEM: "-----PEM-SECRET-----", installationID: 7)),
            webhookSecret: "HOOK-SECRET")
        let values: [Any] = [
            keys, settings, github, GitHubCredentials.token("ghp_TOKENSECRET"),
            QStashClient(baseURL: "http://127.0.0.1:1", token: "QSTASH-TOKEN-SECRET"),
            QStashReceiver(keys: keys), QStashSigner(key: "sig_CURRENTSECRETCURRENTSECRET0000"),
            HookflowDatabase.postgres(url: "postgres://app:DBPASSWORD@db.internal:5432/app"),
            HookflowConfiguration(
                database: .postgres(url: "postgres://app:DBPASSWORD@db.internal:5432/app"), transport: .qstash(settings)),
        ]
        let secrets = ["CURRENTSECRET", "NEXTSECRET", "QSTASH-TOKEN-SECRET", "PEM-SECRET", "HOOK-SECRET", "TOKENSECRET", "DBPASSWORD"]
        for value in values {
            var dumped = ""
            dump(value, to: &dumped)
            for shown in ["\(value)", String(reflecting: value), dumped] {
                for secret in secrets {
                    XCTAssertFalse(shown.contains(secret), "\(type(of: value)) printed \(secret): \(shown)")
                }
            }
        }
    }
}
