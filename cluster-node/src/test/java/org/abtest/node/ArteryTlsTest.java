package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production remoting settings (cluster.conf: Artery over mutual TLS with the rotating-keys
 * engine) with certificates made for the test: two nodes holding the region's certificate form a
 * cluster; a node with a certificate of another CA, one of the same CA for another name (another
 * region's), or one with no TLS at all cannot join it.
 */
class ArteryTlsTest {

  private Path dir;
  private final List<ActorSystem<?>> systems = new ArrayList<>();

  @BeforeEach
  void certificates() throws Exception {
    dir = Files.createTempDirectory("artery-tls");
    TestCertificates.issue(dir.resolve("cluster"), "abtest-node.region-a");
    TestCertificates.issue(dir.resolve("intruder"), "abtest-node.region-a");
    TestCertificates.node(dir.resolve("cluster"), dir.resolve("region-b"), "abtest-node.region-b");
  }

  @AfterEach
  void stop() throws Exception {
    for (ActorSystem<?> system : systems) {
      system.terminate();
    }
    for (ActorSystem<?> system : systems) {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A node with the production config from application.conf and the given transport. */
  private ActorSystem<Void> node(String transport, Path secret) {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "abtest",
            ConfigFactory.load(
                ConfigFactory.parseString(
                        """
                        pekko.remote.artery.transport = %s
                        pekko.remote.artery.ssl.rotating-keys-engine.secret-mount-point = "%s"
                        pekko.remote.artery.canonical.port = 0
                        pekko.coordinated-shutdown.exit-jvm = off
                        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                        """
                            .formatted(transport, secret))
                    .withFallback(ConfigFactory.parseResourcesAnySyntax("application.conf"))));
    systems.add(system);
    return system;
  }

  private static Address address(ActorSystem<?> system) {
    return Cluster.get(system).selfMember().address();
  }

  private static Set<Address> upMembers(ActorSystem<?> system) {
    return StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .map(Member::address)
        .collect(Collectors.toSet());
  }

  private static void join(ActorSystem<?> joining, ActorSystem<?> seed) {
    Cluster.get(joining).manager().tell(Join.create(address(seed)));
  }

  @Test
  void nodesWithTheRegionsCertificateFormAClusterAndNoOtherNodeCanJoin() throws Exception {
    ActorSystem<Void> first = node("tls-tcp", dir.resolve("cluster"));
    ActorSystem<Void> second = node("tls-tcp", dir.resolve("cluster"));
    join(first, first);
    join(second, first);
    Set<Address> cluster = Set.of(address(first), address(second));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(upMembers(first)).isEqualTo(cluster));

    ActorSystem<Void> foreignCa = node("tls-tcp", dir.resolve("intruder"));
    ActorSystem<Void> otherName = node("tls-tcp", dir.resolve("region-b"));
    ActorSystem<Void> plain = node("tcp", dir.resolve("cluster"));
    join(foreignCa, first);
    join(otherName, first);
    join(plain, first);
    // a deliberate pause, not a poll: long enough for several join attempts (seed-node-timeout
    // 5 s) and handshakes, after which nothing must have joined
    Thread.sleep(10_000);
    assertThat(upMembers(first)).isEqualTo(cluster);
    assertThat(upMembers(second)).isEqualTo(cluster);
    assertThat(Cluster.get(first).state().getMembers())
        .noneMatch(m -> m.address().equals(address(foreignCa)))
        .noneMatch(m -> m.address().equals(address(otherName)))
        .noneMatch(m -> m.address().equals(address(plain)));
    assertThat(upMembers(foreignCa)).doesNotContain(address(first));
    assertThat(upMembers(otherName)).doesNotContain(address(first));
    assertThat(upMembers(plain)).doesNotContain(address(first));
  }
}
