package dev.slipway.releaseapi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PKCS#12 keystore with a fresh self-signed server certificate, made by the JDK's keytool (the JDK has no public
 * API to sign certificates), and the client-side trust for exactly that certificate, as a caSecretRef would give.
 */
public record SelfSignedKeystore(Path path, String password, Certificate certificate) {

    public static SelfSignedKeystore create(Path directory, String subjectAlternativeNames)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path keystore = Files.createDirectories(directory).resolve("server.p12");
        String password = "test-only-password";
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=slipway-test-feed", "-ext", "SAN=" + subjectAlternativeNames,
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        return new SelfSignedKeystore(keystore, password, store.getCertificate("server"));
    }

    /** The certificate in PEM, as an administrator puts a private CA into a Secret's {@code ca.crt}. */
    public String pem() throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    /** Trusts this certificate and nothing else. */
    SSLContext trustingIt() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("feed-ca", certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }
}
