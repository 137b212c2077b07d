import _CryptoExtras

/// A fresh 2048-bit RSA key in PEM: PKCS#1 for the private key, as GitHub issues app keys.
struct TestRSAKey {
    let privatePEM: String
    let publicPEM: String

    static func make() throws -> TestRSAKey {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return TestRSAKey(privatePEM: key.pemRepresentation, publicPEM: key.publicKey.pemRepresentation)
    }
}
