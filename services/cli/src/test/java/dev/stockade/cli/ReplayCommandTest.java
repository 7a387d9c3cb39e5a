package dev.stockade.cli;

import static dev.stockade.cli.CliContractTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.localkafka.LocalKafka;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stockade replay} against a real KRaft broker in the test JVM: the tenant-a example and a
 * story of changes on a resources topic (see {@link ResourceStory}).
 */
class ReplayCommandTest {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static LocalKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    /** A fresh topic holding the story; its name. */
    private static String topicWith(ResourceStory story) throws Exception {
        String topic = "replay-test-" + TOPICS.incrementAndGet();
        story.writeTo(kafka, topic);
        return topic;
    }

    private static CliContractTest.Run replay(String topic, String... args) {
        List<String> all = new ArrayList<>(List.of("replay", "--bootstrap", kafka.bootstrapServers(), "--topic", topic));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private static CliContractTest.Run ok(CliContractTest.Run run) {
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    @Test
    void replayingTheSameRangeTwicePrintsIdenticalBytes() throws Exception {
        String topic = topicWith(ResourceStory.tenantA());
        for (String output : List.of("rules", "matrix", "deltas")) {
            String first = ok(replay(topic, "-o", output, "--from-offset", "4", "--to-offset", "12")).out();
            String second = ok(replay(topic, "-o", output, "--from-offset", "4", "--to-offset", "12")).out();
            assertFalse(first.isBlank(), output);
            assertEquals(first, second, output);
        }
        String diff = ok(replay(topic, "-o", "matrix", "--diff", "--from-offset", "10")).out();
        assertEquals(diff, ok(replay(topic, "-o", "matrix", "--diff", "--from-offset", "10")).out());
    }

    @Test
    void theStateAtAnOffsetIsTheEngineFedWithTheSamePrefix() throws Exception {
        ResourceStory story = ResourceStory.tenantA();
        String topic = topicWith(story);
        for (long offset : List.of(3L, 9L, ResourceStory.RELABEL, 13L, (long) story.size() - 1)) {
            ResourceStory.Reference reference = story.referenceUpTo(offset);
            String at = String.valueOf(offset);
            assertEquals(reference.rulesJson(), ok(replay(topic, "-o", "rules", "--to-offset", at)).out(), "rules at " + at);
            assertEquals(reference.matrixJson("80/TCP,8080/TCP"),
                    ok(replay(topic, "-o", "matrix", "--to-offset", at, "--probe", "80/TCP,8080/TCP")).out(), "matrix at " + at);
        }
        ResourceStory.Reference all = story.referenceUpTo(story.size() - 1);
        assertEquals(all.rulesJson(), ok(replay(topic)).out(), "the default end is the end of the log");
    }

    @Test
    void timesSelectTheSameRecordsAsOffsets() throws Exception {
        String topic = topicWith(ResourceStory.tenantA());
        String byOffset = ok(replay(topic, "-o", "deltas", "--from-offset", "10", "--to-offset", "12")).out();
        String from = Instant.ofEpochMilli(ResourceStory.BASE_MILLIS + 9_500).toString();
        String to = String.valueOf(ResourceStory.BASE_MILLIS + 12_000);
        assertEquals(byOffset, ok(replay(topic, "-o", "deltas", "--from-time", from, "--to-time", to)).out());
    }

    @Test
    void diffShowsMembershipChangesAndFlippedVerdictsBetweenTwoPoints() throws Exception {
        String topic = topicWith(ResourceStory.tenantA());
        String relabel = String.valueOf(ResourceStory.RELABEL);
        JsonNode rules = ResourceStory.parse(ok(replay(topic, "--diff", "--from-offset", relabel, "--to-offset", relabel)).out());
        assertEquals(ResourceStory.RELABEL, rules.path("fromOffset").asLong());
        JsonNode nodeB1 = node(rules, "node-b1");
        JsonNode frontends = nodeB1.path("addressGroups").path("changed").get(0);
        assertEquals("[\"tenant-a/frontend-1\"]", frontends.path("left").toString(), rules.toPrettyString());
        assertTrue(nodeB1.path("policies").isMissingNode(), "pol1 itself did not change on node-b1");

        JsonNode matrix = ResourceStory.parse(ok(replay(topic, "-o", "matrix", "--diff", "--from-offset", relabel,
                "--to-offset", String.valueOf(ResourceStory.NEW_POD))).out());
        assertEquals("[\"tenant-a/frontend-3\"]", matrix.path("podsAdded").toString());
        List<String> flips = new ArrayList<>();
        matrix.path("flipped").forEach(flip -> flips.add(flip.path("from").asText() + "->" + flip.path("to").asText()
                + " " + flip.path("port").asInt() + " " + flip.path("before").asBoolean() + "->" + flip.path("after").asBoolean()));
        assertEquals(List.of("tenant-a/frontend-1->tenant-a/backend-1 80 true->false",
                "tenant-a/frontend-1->tenant-a/backend-2 80 true->false"), flips);
    }

    @Test
    void aPoisonRecordIsReportedAndSkipped() throws Exception {
        ResourceStory clean = ResourceStory.tenantA();
        ResourceStory poisoned = ResourceStory.tenantA();
        poisoned.poison("Pod/tenant-a/garbage", "this is not a resource record");
        poisoned.poison("Deployment/tenant-a/web", "{}");
        String topic = topicWith(poisoned);
        CliContractTest.Run run = ok(replay(topic, "-o", "rules"));
        int garbage = clean.size();
        assertTrue(run.err().contains("warning: offset " + garbage + " key 'Pod/tenant-a/garbage': skipped: not JSON"), run.err());
        assertTrue(run.err().contains("warning: offset " + (garbage + 1) + " key 'Deployment/tenant-a/web': skipped"), run.err());
        assertEquals(clean.referenceUpTo(clean.size() - 1).rulesJson(), run.out());
    }

    @Test
    void badArgumentsAreOneLineUsageErrors() throws Exception {
        String topic = topicWith(ResourceStory.tenantA());
        assertUsageError(replay(topic, "--from-offset", "1", "--from-time", "0"), "exclude each other");
        assertUsageError(replay(topic, "-o", "yaml"), "unknown output 'yaml'");
        assertUsageError(replay(topic, "--to-offset", "999"), "past the end of the log");
        assertUsageError(replay(topic, "--from-offset", "9", "--to-offset", "3"), "is after");
        assertUsageError(replay(topic, "--to-time", "yesterday"), "ISO-8601");
        assertUsageError(replay(topic, "-o", "deltas", "--diff"), "--diff");
        assertUsageError(replay("no-such-topic"), "does not exist");
        CliContractTest.Run secret = replay(topic, "--kafka-property", "max.poll.records=s3cret-not-a-number");
        assertUsageError(secret, "--kafka-property");
        assertFalse(secret.err().contains("s3cret"), secret.err());
        CliContractTest.Run noEquals = replay(topic, "--kafka-property", "s3cret-password");
        assertUsageError(noEquals, "KEY=VALUE");
        assertFalse(noEquals.err().contains("s3cret"), noEquals.err());
    }

    private static void assertUsageError(CliContractTest.Run run, String message) {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(message), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    private static JsonNode node(JsonNode diff, String name) {
        for (JsonNode node : diff.path("nodes")) {
            if (node.path("node").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no node " + name + " in " + diff.toPrettyString());
    }
}
