package dev.stockade.dispatcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The agent stream's server certificate: PEM files (in Kubernetes the cert-manager Secret
 * {@code stockade-dispatcher-tls} mounted at {@code /etc/stockade/tls}). The files are read at start and
 * read again when their modification time changes, checked every {@code reloadPeriod}: cert-manager
 * renews the Secret, the kubelet updates the mounted files, new connections get the new certificate
 * (open ones keep theirs).
 *
 * @param certificate  PEM certificate chain, the server's first
 * @param key          PEM private key (PKCS#8, PKCS#1 or SEC1)
 * @param reloadPeriod how often the files' modification time is checked; zero = never reload
 */
public record StreamTls(Path certificate, Path key, Duration reloadPeriod) {

    public StreamTls {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reloadPeriod, "reloadPeriod");
    }

    /** Checked for renewal every minute. */
    public static StreamTls of(Path certificate, Path key) {
        return new StreamTls(certificate, key, Duration.ofMinutes(1));
    }
}
