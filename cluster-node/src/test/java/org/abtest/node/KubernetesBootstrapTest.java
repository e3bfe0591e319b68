package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.junit.jupiter.api.Test;

/**
 * With the settings deploy/k8s gives it, a node starts Pekko Management (the port Cluster
 * Bootstrap's probes reach) and the bootstrap itself, instead of joining seed nodes. Outside
 * Kubernetes the discovery finds nobody, so the node stays out of any cluster, as it must.
 */
class KubernetesBootstrapTest {

  @Test
  void discoveryThroughTheKubernetesApiStartsManagementAndBootstrap() throws Exception {
    // What Kubernetes mounts into every pod: the API's CA certificate and the account's token.
    Path secrets = Files.createTempDirectory("serviceaccount");
    Path keystore = secrets.resolve("ca.p12");
    run(
        "keytool",
        "-genkeypair",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=test-ca",
        "-validity",
        "2");
    run(
        "keytool",
        "-exportcert",
        "-rfc",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-alias",
        "ca",
        "-file",
        secrets.resolve("ca.crt").toString());
    Files.writeString(secrets.resolve("token"), "test-token");
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "abtest",
            ConfigFactory.load(
                ConfigFactory.parseString(
                        """
                    abtest.discovery.method = kubernetes-api
                    pekko.management.http.port = 0
                    pekko.remote.artery.canonical.port = 0
                    pekko.coordinated-shutdown.exit-jvm = off
                    pekko.discovery.kubernetes-api.pod-namespace = test
                    pekko.discovery.kubernetes-api.api-ca-path = "%s"
                    pekko.discovery.kubernetes-api.api-token-path = "%s"
                    """
                            .formatted(secrets.resolve("ca.crt"), secrets.resolve("token")))
                    // the node's own configuration, as TestNode loads it
                    .withFallback(ConfigFactory.parseResourcesAnySyntax("application.conf"))));
    try {
      Main.joinCluster(system);
      // start() again answers with the binding of the first start
      Uri uri = PekkoManagement.get(system).start().toCompletableFuture().get(20, TimeUnit.SECONDS);
      HttpResponse<String> seeds =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(uri.toString() + "/bootstrap/seed-nodes"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(seeds.statusCode()).isEqualTo(200);
      // the node joined nothing by itself: bootstrap decides, and it has found no contact point
      assertThat(seeds.body()).contains("\"seedNodes\":[]");
    } finally {
      Files.walk(secrets).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
