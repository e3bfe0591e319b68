package org.abtest.deploy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.abtest.deploy.servers.ClusterNode;
import org.abtest.deploy.servers.NodeHttp;
import org.abtest.deploy.testing.NodeJvms;
import org.abtest.deploy.testing.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The TypeScript SDK against a real node (its own JVM, on the build's Cassandra and Kafka): the
 * demo's experiments ({@link DemoExperiments}, read from the one place they are defined, hence this
 * package) and a targeted one are created and started, then {@code node test-agreement/live.mjs}
 * follows the node's manifest with {@code AbTestClient}, compares its local answers with {@code
 * POST /v1/assignments} on generated units, kills an experiment and measures how long until the SDK
 * answers the default.
 */
@ExtendWith(RealServers.class)
class SdkLiveIT {

  private static final String ADMIN = "sdk-live-admin";
  private static final String SDK = "sdk-live-key";
  private static final Path DIR = Path.of(System.getProperty("abtest.sdkjs.dir", "."));

  private static final String TARGETED =
      """
      {"key": "sdk-targeted", "name": "SDK targeted", "coverage": 7000,
       "targeting": {"country": {"$in": ["US", "CA"]}, "app.version": {"$vgte": "2.0.0"}},
       "variants": [{"key": "a", "weight": 3000}, {"key": "b", "weight": 7000,
                     "config": {"label": "B"}}]}
      """;

  @Test
  void sdkAnswersAsPostAssignmentsAndSeesAKillWithinASecond() throws Exception {
    RealServers.Endpoints servers = RealServers.endpoints();
    String namespace = "sdk_live_it";
    int port = NodeJvms.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("ABTEST_CASSANDRA_CONTACT_POINT", servers.cassandraContactPoint());
    env.put("ABTEST_CASSANDRA_DC", servers.datacenter());
    env.put("ABTEST_KEYSPACE", namespace);
    env.put("ABTEST_KAFKA_BOOTSTRAP", servers.kafkaBootstrap());
    env.put("ABTEST_REMOTE_PORT", String.valueOf(NodeJvms.freePort()));
    env.put("ABTEST_ADMIN_TOKEN", ADMIN);
    env.put("ABTEST_SDK_KEY", SDK);
    Path log = DIR.resolve("target/sdk-live-node.log");
    Files.createDirectories(log.getParent());
    try (ClusterNode node =
        ClusterNode.start(
            NodeJvms.onTestClasspath(
                namespace + " node :" + port,
                port,
                List.of("-Xmx512m"),
                Map.of(
                    "abtest.kafka.topic", namespace + "-events",
                    "abtest.kafka.group-id", namespace + "-aggregators"),
                env,
                log,
                Duration.ofSeconds(30)))) {
      node.awaitReady(Duration.ofMinutes(3));
      NodeHttp http = node.http();
      for (DemoExperiments.Simulated s : DemoExperiments.ALL) {
        create(http, s.key(), s.definition());
      }
      create(http, "sdk-targeted", TARGETED);

      Process sdk =
          new ProcessBuilder(
                  "node",
                  "test-agreement/live.mjs",
                  node.baseUri().toString(),
                  SDK,
                  ADMIN,
                  "checkout-button",
                  String.valueOf(DemoExperiments.ALL.size() + 1))
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .start();
      String report = new String(sdk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(sdk.waitFor(5, TimeUnit.MINUTES)).isTrue();
      System.out.print(report);
      assertThat(sdk.exitValue()).as(report).isZero();
      assertThat(report).contains("0 mismatches").contains("kill seen");
    }
  }

  private static void create(NodeHttp http, String key, String body) throws Exception {
    assertThat(patiently(http, "POST", "/v1/experiments", body).status()).isIn(201, 409);
    assertThat(patiently(http, "POST", "/v1/experiments/" + key + "/start", null).status())
        .isIn(200, 409);
  }

  /** The first writes on a fresh keyspace can answer 503 on a busy machine: retry them. */
  private static NodeHttp.Reply patiently(NodeHttp http, String method, String path, String body)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      NodeHttp.Reply reply = http.send(method, path, ADMIN, body);
      if (reply.status() != 503 || System.nanoTime() > deadline) {
        return reply;
      }
      Thread.sleep(500);
    }
  }
}
