package dev.stockade.dispatcher.tls;

import dev.stockade.dispatcher.StreamTls;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A certificate authority that lives for one run (the embedded demo, tests): an EC P-256 CA and
 * server certificates it signs, written as PEM files into a directory, so the agent stream is TLS
 * there too, as in Kubernetes (where cert-manager is the CA). Built with BouncyCastle's certificate
 * builders, no hand-written ASN.1. Nothing here is for production: the CA's key is in memory and
 * the files are not protected beyond the directory's permissions.
 */
public final class ThrowawayCa {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final Path caFile;

    private ThrowawayCa(Path dir, KeyPair caKeys, X509Certificate caCertificate, Path caFile) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
        this.caFile = caFile;
    }

    /** A new CA named {@code name}, valid for a day; its certificate is written to {@code dir/<name>-ca.crt}. */
    public static ThrowawayCa create(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            KeyPair keys = keyPair();
            X500Name subject = new X500Name("CN=" + name + " throwaway CA");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = convert(builder.build(signer(keys)));
            Path caFile = dir.resolve(name + "-ca.crt");
            Files.writeString(caFile, pem(certificate));
            return new ThrowawayCa(dir, keys, certificate, caFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a throwaway CA", e);
        }
    }

    /** The CA certificate as a PEM file: what agents trust ({@code stockade.agent.tls.ca}). */
    public Path caFile() {
        return caFile;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** A TLS context trusting only this CA (for tests' own clients). */
    public SSLContext trustingContext() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", caCertificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    /** A server certificate for {@code localhost} and {@code 127.0.0.1}, valid for a day. */
    public StreamTls serverTls(String name) {
        return serverTls(name, List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    }

    /**
     * A server certificate with these DNS and IP subject alternative names, valid from a minute ago for
     * {@code validity} (a negative validity makes one that has already expired), written to
     * {@code <name>.crt} and {@code <name>.key} (PKCS#8) in the CA's directory.
     */
    public StreamTls serverTls(String name, List<String> dnsNames, List<String> ipAddresses, Duration validity) {
        try {
            KeyPair keys = keyPair();
            Instant now = Instant.now();
            Instant notAfter = now.plus(validity);
            Instant notBefore = validity.isNegative() ? notAfter.minus(Duration.ofDays(1)) : now.minusSeconds(60);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + name), keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCertificate));
            X509Certificate certificate = convert(builder.build(signer(caKeys)));
            Path cert = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            Files.writeString(cert, pem(certificate));
            Files.writeString(key, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
            return StreamTls.of(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a throwaway certificate", e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    private static X509Certificate convert(org.bouncycastle.cert.X509CertificateHolder holder)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static String pem(X509Certificate certificate) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return text.toString();
    }

    private static String pem(PemObjectGenerator object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
