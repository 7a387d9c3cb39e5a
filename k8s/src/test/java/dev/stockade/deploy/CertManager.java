package dev.stockade.deploy;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * cert-manager's {@code Issuer} and {@code Certificate} (cert-manager.io/v1), modelled strictly for the
 * fields Stockade uses (no fabric8 model of cert-manager is in the Quarkus BOM): an unknown or
 * misspelt field in a manifest fails the parse like any other kind's.
 */
final class CertManager {
    private CertManager() {
    }

    record IssuerSpec(Map<String, Object> selfSigned, CaIssuer ca) {
    }

    record CaIssuer(String secretName) {
    }

    record PrivateKey(String algorithm, Integer size, String rotationPolicy) {
    }

    record IssuerRef(String name, String kind, String group) {
    }

    record CertificateSpec(Boolean isCA, String commonName, String secretName, String duration, String renewBefore,
                           PrivateKey privateKey, List<String> usages, List<String> dnsNames, IssuerRef issuerRef) {
    }

    /** Fields every kind shares. */
    abstract static class Resource<S> implements HasMetadata {
        private String apiVersion;
        private String kind;
        private ObjectMeta metadata;
        private S spec;

        @Override
        public ObjectMeta getMetadata() {
            return metadata;
        }

        @Override
        public void setMetadata(ObjectMeta metadata) {
            this.metadata = metadata;
        }

        @Override
        public String getApiVersion() {
            return apiVersion;
        }

        @Override
        public void setApiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
        }

        @Override
        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }

        public S getSpec() {
            return spec;
        }

        public void setSpec(S spec) {
            this.spec = spec;
        }
    }

    /** Bound as itself, not through fabric8's polymorphic HasMetadata deserializer (which knows no cert-manager kind). */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    static final class Issuer extends Resource<IssuerSpec> {
    }

    @JsonDeserialize(using = JsonDeserializer.None.class)
    static final class Certificate extends Resource<CertificateSpec> {
    }
}
