package dev.stockade.kube;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Limits on Kubernetes objects read from outside (manifest files, watch-event lines), so that
 * broken or hostile input is refused while parsing, with the parser's reason, instead of costing a
 * deep stack or the heap. Nesting 200: the kinds Stockade reads nest about 10 deep, but a manifest
 * directory may hold kinds it only skips, and CustomResourceDefinition schemas nest far deeper
 * than anything else (Jackson's default is 1,000). One string 4 MiB: the API server takes no
 * request over 3 MiB, so no real object holds more (default 20 MB). One number 1,000 digits (the
 * default, stated). Files and documents have no size limit: a {@code List} of a whole cluster is
 * read an item at a time ({@link ManifestStream}).
 * Records on Stockade's own topics have tighter limits of their own ({@code WireJson}).
 */
final class InputLimits {

    static final int MAX_NESTING_DEPTH = 200;
    static final int MAX_STRING_LENGTH = 4 << 20;
    static final int MAX_NUMBER_LENGTH = 1_000;

    private InputLimits() {
    }

    static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH).build();
    }
}
