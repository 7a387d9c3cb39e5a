package dev.stockade.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The checked arguments of {@code stockade replay}. Every problem is an IllegalArgumentException
 * with a one-line message (exit code 2); no message ever contains a {@code --kafka-property} value.
 *
 * @param output          what to print
 * @param fromOffset      explicit first offset, or null
 * @param fromMillis      first record at or after this time, or null
 * @param toOffset        explicit last offset (inclusive), or null
 * @param toMillis        last record at or before this time, or null
 * @param kafkaProperties extra consumer properties, by key
 */
record ReplayArguments(Output output, Long fromOffset, Long fromMillis, Long toOffset, Long toMillis,
                       Map<String, String> kafkaProperties) {

    /** {@code -o}: rules, matrix or deltas. */
    enum Output { RULES, MATRIX, DELTAS }

    /**
     * The resolved range: records with offsets in [from, to] (empty when to &lt; from). Replay reads
     * [0, to]; the "from" state is the state just before {@code from}.
     */
    record Range(long from, long to) {
    }

    static ReplayArguments check(ReplayCommand command) {
        Output output = output(command.output);
        exclusive(command.fromOffset, command.fromTime, "--from-offset", "--from-time");
        exclusive(command.toOffset, command.toTime, "--to-offset", "--to-time");
        notNegative(command.fromOffset, "--from-offset");
        notNegative(command.toOffset, "--to-offset");
        if (command.fromOffset != null && command.toOffset != null && command.fromOffset > command.toOffset) {
            throw new IllegalArgumentException("--from-offset " + command.fromOffset + " is after --to-offset "
                    + command.toOffset);
        }
        Long fromMillis = command.fromTime == null ? null : millis(command.fromTime, "--from-time");
        Long toMillis = command.toTime == null ? null : millis(command.toTime, "--to-time");
        if (fromMillis != null && toMillis != null && fromMillis > toMillis) {
            throw new IllegalArgumentException("--from-time " + command.fromTime + " is after --to-time " + command.toTime);
        }
        if (command.diff && output == Output.DELTAS) {
            throw new IllegalArgumentException("--diff compares two states: use it with -o rules or -o matrix");
        }
        return new ReplayArguments(output, command.fromOffset, fromMillis, command.toOffset, toMillis,
                command.kafka.properties());
    }

    /** Turns times into offsets on the log, and checks explicit offsets against its end. */
    Range resolve(ResourceLog log) {
        long end = log.end();
        long to = end - 1;
        if (toOffset != null) {
            if (toOffset >= end) {
                throw new IllegalArgumentException("--to-offset " + toOffset + " is past the end of the log (last offset "
                        + (end - 1) + ")");
            }
            to = toOffset;
        } else if (toMillis != null) {
            OptionalLong after = toMillis == Long.MAX_VALUE ? OptionalLong.empty() : log.firstOffsetAtOrAfter(toMillis + 1);
            to = after.isPresent() ? after.getAsLong() - 1 : end - 1;
        }
        long from = 0;
        if (fromOffset != null) {
            if (fromOffset > to) {
                throw new IllegalArgumentException("--from-offset " + fromOffset + " is after the end point " + to);
            }
            from = fromOffset;
        } else if (fromMillis != null) {
            from = log.firstOffsetAtOrAfter(fromMillis).orElse(end);
        }
        return new Range(from, to);
    }

    private static Output output(String text) {
        return switch (text) {
            case "rules" -> Output.RULES;
            case "matrix" -> Output.MATRIX;
            case "deltas" -> Output.DELTAS;
            default -> throw new IllegalArgumentException("unknown output '" + text + "' (rules, matrix or deltas)");
        };
    }

    private static void exclusive(Object first, Object second, String firstName, String secondName) {
        if (first != null && second != null) {
            throw new IllegalArgumentException(firstName + " and " + secondName + " exclude each other");
        }
    }

    private static void notNegative(Long offset, String name) {
        if (offset != null && offset < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, not " + offset);
        }
    }

    /** An ISO-8601 instant ({@code 2026-11-27T14:00:00Z}, or with an offset) or epoch milliseconds. */
    static long millis(String text, String name) {
        String trimmed = text.trim();
        if (trimmed.matches("\\d{1,18}")) {
            return Long.parseLong(trimmed);
        }
        try {
            return Instant.parse(trimmed).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(trimmed).toInstant().toEpochMilli();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException(name + " '" + text
                        + "' is neither an ISO-8601 instant (2026-11-27T14:00:00Z) nor epoch milliseconds");
            }
        }
    }
}
