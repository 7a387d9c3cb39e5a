package dev.stockade.core.policy;

import dev.stockade.core.model.Protocol;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validates protocol, port numbers and port names the way the API server does. */
final class PortParser {

    /** IANA_SVC_NAME: at most 15 of [a-z0-9-], at least one letter, no leading, trailing or double '-'. */
    private static final Pattern PORT_NAME = Pattern.compile("^(?!-)(?!.*--)(?=.*[a-z])[a-z0-9-]{1,15}(?<!-)$");

    private PortParser() {
    }

    /** The protocol; TCP when absent; null after reporting an unknown one. */
    static Protocol protocol(String text, String field, FieldProblems problems) {
        if (text == null) {
            return Protocol.TCP;
        }
        Optional<Protocol> protocol = Protocol.parse(text);
        if (protocol.isEmpty()) {
            problems.reject(field, "unsupported protocol '" + text + "' (expected TCP, UDP or SCTP)");
            return null;
        }
        return protocol.get();
    }

    static boolean validNumber(int port, String field, FieldProblems problems) {
        if (port < PortMatch.MIN_PORT || port > PortMatch.MAX_PORT) {
            problems.reject(field, "port " + port + " is outside 1-65535");
            return false;
        }
        return true;
    }

    static boolean validName(String name, String field, FieldProblems problems) {
        if (!PORT_NAME.matcher(name).matches()) {
            problems.reject(field, "'" + name + "' is not a valid port name (IANA_SVC_NAME: 1-15 of a-z, 0-9, '-',"
                    + " with a letter, no leading, trailing or double '-')");
            return false;
        }
        return true;
    }
}
