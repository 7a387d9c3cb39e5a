package dev.stockade.core.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.core.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A probe is {@code PORT/PROTOCOL}; a wrong one says what is wrong with it. */
class ProbeTest {

    @Test
    void probesParseWithSpacesAndEmptyEntries() {
        assertEquals(List.of(new Probe(80, Protocol.TCP), new Probe(53, Protocol.UDP), new Probe(9, Protocol.SCTP)),
                Probe.parseList(" 80/TCP, 53/UDP,,9/SCTP "));
    }

    @Test
    void eachKindOfMistakeIsNamed() {
        assertTrue(message("70000/TCP").contains("port 70000 is outside 1-65535"));
        assertTrue(message("0/TCP").contains("port 0 is outside 1-65535"));
        assertTrue(message("80/ICMP").contains("the protocol must be TCP, UDP or SCTP"));
        assertTrue(message("http/TCP").contains("the port is not a number"));
        assertTrue(message("80").contains("is not a probe like 80/TCP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Probe.parseList(" , ")).getMessage()
                .contains("no probe given"));
    }

    private static String message(String probe) {
        String single = assertThrows(IllegalArgumentException.class, () -> Probe.of(probe)).getMessage();
        assertEquals(single, assertThrows(IllegalArgumentException.class, () -> Probe.parseList("80/TCP," + probe)).getMessage());
        assertTrue(single.contains(probe.trim()), single);
        return single;
    }
}
