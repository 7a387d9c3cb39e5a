package dev.stockade.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.events.fuzz.BadInput;
import dev.stockade.events.fuzz.BadInputs;
import dev.stockade.events.fuzz.FuzzTally;
import dev.stockade.events.v1.RuleDeltaRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Bad {@code stockade.rules} deltas, fuzzed, through {@link DeltaHeader#read}, the dispatcher's
 * decoder of every delta it files (it reads the header and forwards the bytes): a header or a
 * {@link WireFormatException} with a reason, nothing else; and a delta that both it and
 * {@code WireJson} (as agents) decode has the same node and generation for both, so a delta is filed
 * as what its agent will apply it as. The header is stricter ({@code "generation":"7"} is refused,
 * where Jackson reads 7): such a delta is skipped, and the next one, a gap, asks for a resync. A
 * missing {@code sourceOffset} is -1 to the dispatcher, "nothing to catch up to", and 0 to
 * {@code WireJson}; agents do not read it.
 */
class DeltaHeaderFuzzTest {

    /** Every field of the wire format, local pods included. */
    private static final byte[] DELTA = ("{\"schemaVersion\":1,\"node\":\"node-a2\",\"generation\":7,\"sourceOffset\":42,"
            + "\"policies\":{\"added\":[{\"id\":\"p-1\",\"kind\":\"LegacyNetworkPolicy\",\"namespace\":\"tenant-a\","
            + "\"name\":\"pol1\",\"appliedToGroup\":\"atg-1\",\"isolates\":[\"INGRESS\"],\"rules\":[{\"direction\":\"INGRESS\","
            + "\"index\":0,\"anyPeer\":false,\"addressGroups\":[\"ag-1\"],\"ipBlocks\":[{\"cidr\":\"10.0.0.0/8\",\"except\":"
            + "[\"10.9.0.0/16\"]}],\"ports\":[{\"protocol\":\"TCP\",\"port\":80,\"endPort\":null,\"name\":null},"
            + "{\"protocol\":\"TCP\",\"port\":null,\"endPort\":null,\"name\":\"http\"}]}]}],\"removed\":[\"p-0\"]},"
            + "\"appliedToGroups\":{\"added\":[{\"id\":\"atg-1\",\"selection\":\"s\",\"members\":[{\"pod\":\"tenant-a/b-1\","
            + "\"node\":\"node-a2\",\"ips\":[\"10.244.2.20\"],\"namedPorts\":[]}]}],\"removed\":[\"atg-0\"],\"patched\":[]},"
            + "\"addressGroups\":{\"added\":[],\"removed\":[],\"patched\":[{\"group\":\"ag-1\",\"added\":[{\"pod\":"
            + "\"tenant-a/f-1\",\"node\":\"node-a1\",\"ips\":[\"10.244.1.10\"],\"namedPorts\":[{\"name\":\"http\","
            + "\"protocol\":\"TCP\",\"port\":80}]}],\"removed\":[\"tenant-a/f-9\"]}]},\"localPods\":{\"added\":[{\"pod\":"
            + "\"tenant-a/w-3\",\"ips\":[\"10.244.2.33\"]}],\"removed\":[]}}").getBytes(StandardCharsets.UTF_8);

    private final FuzzTally tally = new FuzzTally("DeltaHeader.read");

    @AfterProperty
    void printTally() {
        tally.print();
    }

    @Provide
    Arbitrary<BadInput> deltas() {
        return BadInputs.from(List.of(DELTA));
    }

    @Property(tries = 10_000)
    void aDeltaHasAHeaderOrIsRefusedAndTheHeaderIsWhatAgentsDecode(@ForAll("deltas") BadInput input) throws Exception {
        Optional<DeltaHeader> header;
        try {
            header = Optional.of(DeltaHeader.read(input.bytes()));
            tally.decoded();
        } catch (WireFormatException e) {
            tally.rejected(input, e.getMessage());
            header = Optional.empty();
        }
        Optional<RuleDeltaRecord> decoded = decoded(input.bytes());
        if (decoded.isPresent() && header.isPresent()) {
            RuleDeltaRecord record = decoded.get();
            assertEquals(record.node() + " " + record.generation(), header.get().node() + " " + header.get().generation(),
                    () -> "the agent decodes another node or generation: " + input);
        }
    }

    private static Optional<RuleDeltaRecord> decoded(byte[] bytes) {
        try {
            return Optional.of(WireJson.decodeRuleDelta(bytes));
        } catch (WireFormatException e) {
            return Optional.empty();
        }
    }
}
