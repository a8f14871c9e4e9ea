package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.spec.ReleaseSourceSpec;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.kubernetes.spec.SecretValues;
import dev.slipway.releaseapi.FeedSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds a {@link FeedSource} from the spec and the Secrets it names. Secret values never leave this class. */
final class FeedSources {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519, so a raw 32-byte key can be accepted too. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private FeedSources() {
    }

    static FeedSource build(ResolvedSpec spec, ReleaseSourceSpec source, String namespace, KubernetesClient client) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (source.getHeadersSecretRef() != null) {
            Secret secret = secret(client, namespace, source.getHeadersSecretRef().getName(),
                    "spec.releaseSource.headersSecretRef");
            SecretValues.of(secret).forEach(headers::put);
        }
        SSLContext ssl = null;
        if (source.getCaSecretRef() != null) {
            String key = source.getCaSecretRef().getKey() == null ? "ca.crt" : source.getCaSecretRef().getKey();
            Secret secret = secret(client, namespace, source.getCaSecretRef().getName(), "spec.releaseSource.caSecretRef");
            String pem = SecretValues.of(secret).get(key);
            if (pem == null) {
                throw new InvalidSpecException("spec.releaseSource.caSecretRef.key",
                        "Secret '" + secret.getMetadata().getName() + "' has no key '" + key + "'");
            }
            ssl = sslContext(pem);
        }
        PublicKey publicKey = source.getPublicKey() == null ? null : publicKey(source.getPublicKey());
        return new FeedSource(spec.feedUrl(), spec.product(), headers, ssl, publicKey);
    }

    static PublicKey publicKey(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64.trim());
            if (bytes.length == 32) {
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(bytes, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                bytes = spki;
            }
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(bytes));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidSpecException("spec.releaseSource.publicKey",
                    "must be a base64 Ed25519 public key (32 raw bytes or X.509 SubjectPublicKeyInfo)");
        }
    }

    private static SSLContext sslContext(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new InvalidSpecException("spec.releaseSource.caSecretRef", "contains no PEM certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new InvalidSpecException("spec.releaseSource.caSecretRef", "is not a valid PEM CA bundle");
        }
    }

    static Secret secret(KubernetesClient client, String namespace, String name, String field) {
        if (name == null || name.isBlank()) {
            throw new InvalidSpecException(field + ".name", "required");
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw new InvalidSpecException(field, "Secret '" + name + "' does not exist in namespace " + namespace);
        }
        return secret;
    }
}
