package dev.stockade.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} / {@code localhost}, valid for two days, made by
 * the JDK's {@code keytool} (no BouncyCastle on the main classpath): a PKCS12 key store for the
 * broker and the certificate as PEM, which clients use as their trust store
 * ({@code ssl.truststore.type=PEM}, as the deployment does with Strimzi's cluster CA).
 *
 * @param keyStore         PKCS12 file with the key and certificate, alias {@code broker}
 * @param keyStorePassword password of the key store and of the key (random, never logged)
 * @param certificatePem   the certificate alone, PEM
 */
record ThrowawayTls(Path keyStore, String keyStorePassword, Path certificatePem) {

    private static final String ALIAS = "broker";

    @Override
    public String toString() {
        return "ThrowawayTls[keyStore=" + keyStore + ", certificatePem=" + certificatePem + "]";
    }

    /** Writes {@code broker.p12} and {@code ca.crt} into {@code directory}. */
    static ThrowawayTls create(Path directory) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path keyStore = directory.resolve("broker.p12");
        Path pem = directory.resolve("ca.crt");
        keytool(List.of("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass:env", "STOCKADE_STOREPASS", "-keypass:env", "STOCKADE_STOREPASS", "-noprompt"), password);
        try {
            Files.writeString(pem, pem(certificate(keyStore, password)), StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read back the key store made by keytool: " + e.getMessage(), e);
        }
        return new ThrowawayTls(keyStore, password, pem);
    }

    /** Runs the JDK's keytool with the password in its environment (not on the command line). */
    private static void keytool(List<String> arguments, String password) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>();
        command.add(keytool.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("STOCKADE_STOREPASS", password);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + keytool + " (a JDK, not a JRE, is needed): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    private static Certificate certificate(Path keyStore, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password.toCharArray());
        }
        return store.getCertificate(ALIAS);
    }

    private static String pem(Certificate certificate) throws GeneralSecurityException {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN CERTIFICATE-----\n" + encoder.encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
