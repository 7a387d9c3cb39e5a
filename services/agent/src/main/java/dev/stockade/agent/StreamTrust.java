package dev.stockade.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the agent trusts and presents on the stream: a TLS context that trusts only a CA bundle (PEM,
 * in Kubernetes the {@code ca.crt} of the dispatcher's cert-manager Secret), and its bearer token
 * read from a file at each connect (the kubelet rotates a projected ServiceAccount token in place).
 * The JDK checks the dispatcher's certificate against the bundle and its name against the address
 * (hostname verification is on), so a dispatcher with a certificate of another CA is refused.
 */
public final class StreamTrust {

    private static final Logger LOG = Logger.getLogger(StreamTrust.class.getName());

    private StreamTrust() {
    }

    /** A TLS context trusting exactly the certificates of this PEM bundle; fails when it holds none. */
    public static SSLContext trusting(Path caBundle) {
        try (InputStream in = Files.newInputStream(caBundle)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the CA bundle " + caBundle);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA bundle " + caBundle, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA bundle " + caBundle + " is not usable: " + e.getMessage(), e);
        }
    }

    /**
     * The token in this file, read again at every call (each connect): a projected token is rotated by
     * the kubelet. An unreadable or empty file gives null (the connect goes without a token, is refused
     * with 401 and retried with backoff) and a warning naming the file, never its content.
     */
    public static Supplier<String> tokenFile(Path file) {
        return () -> {
            try {
                String token = Files.readString(file).strip();
                if (token.isEmpty()) {
                    LOG.warning("agent token file " + file + " is empty");
                    return null;
                }
                return token;
            } catch (IOException e) {
                LOG.warning("agent token file " + file + " cannot be read: " + e);
                return null;
            }
        };
    }

    /** A fixed token (the embedded demo, tests, a node-tokens dispatcher). */
    public static Supplier<String> token(String token) {
        return () -> token;
    }
}
