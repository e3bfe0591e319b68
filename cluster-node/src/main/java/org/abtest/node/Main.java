package org.abtest.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/** Boots a node: configuration, the actor system and cluster membership, then {@link Node}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    Config config = loadConfig();
    RemoteTls.problem(config)
        .ifPresent(
            problem -> {
              throw new IllegalStateException(problem);
            });
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "abtest", config);
    joinCluster(system);
    Node.start(system)
        .whenComplete(
            (started, error) -> {
              if (error != null) {
                system.log().error("node failed to start", error);
                system.terminate();
              }
            });
  }

  /**
   * application.conf (or -Dconfig.resource), with the list-valued environment variables applied
   * ({@link RegionOverrides}).
   */
  static Config loadConfig() {
    return RegionOverrides.apply(ConfigFactory.load(), System.getenv());
  }

  /**
   * With a discovery method (Kubernetes) the node starts Pekko Management and lets Cluster
   * Bootstrap form or join the cluster; otherwise it joins the seed nodes, or forms a cluster of
   * its own when there are none.
   */
  static void joinCluster(ActorSystem<?> system) {
    Config config = system.settings().config();
    if (!config.getString("abtest.discovery.method").isBlank()) {
      PekkoManagement.get(system).start();
      ClusterBootstrap.get(system).start();
      return;
    }
    if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
  }
}
