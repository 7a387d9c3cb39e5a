package dev.stockade.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.infinispan.manager.EmbeddedCacheManager;
import org.junit.jupiter.api.Test;

/** Two real members over JGroups on loopback: the survivor is told the other's name when it leaves. */
class MembersLeftTest {

    @Test
    void theSurvivorIsToldTheNameOfTheMemberThatLeft() throws Exception {
        System.setProperty("stockade.jgroups.port", "7760");
        Map<String, org.infinispan.configuration.cache.Configuration> caches = Map.of("state", ReplicatedCaches.replicated());
        EmbeddedCacheManager first = ReplicatedCaches.start("members-left-test", "replica-1", ReplicatedCaches.LOOPBACK, caches);
        EmbeddedCacheManager second = ReplicatedCaches.start("members-left-test", "replica-2", ReplicatedCaches.LOOPBACK, caches);
        try {
            assertEquals(2, first.getMembers().size());
            LinkedBlockingQueue<Set<String>> left = new LinkedBlockingQueue<>();
            ReplicatedCaches.whenMembersLeave(first, left::add);
            second.stop();
            assertEquals(Set.of("replica-2"), left.poll(20, TimeUnit.SECONDS));
        } finally {
            second.stop();
            first.stop();
        }
    }
}
