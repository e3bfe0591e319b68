package org.abtest.node.credentials;

import java.time.Clock;
import org.abtest.node.NodeSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials on a node: the Cassandra store every request is authenticated against, the local
 * mode's fixed or generated credentials (printed once), and the first admin when bootstrapping.
 */
public record NodeCredentials(CassandraCredentialStore store, DevCredentials dev) {

  private static final Logger log = LoggerFactory.getLogger(NodeCredentials.class);

  public static NodeCredentials init(
      ActorSystem<?> system, NodeSettings node, CassandraSession session, Clock clock) {
    var config = system.settings().config();
    CredentialSettings settings = CredentialSettings.from(config);
    settings.warnings().forEach(log::warn);
    DevCredentials dev = settings.devCredentials();
    dev.generatedNotice().ifPresent(System.out::println);
    var store =
        new CassandraCredentialStore(
            system,
            session,
            node.journalKeyspace(),
            config.getBoolean("abtest.credentials.tables-autocreate"),
            dev,
            config.getDuration("abtest.credentials.refresh-interval"),
            clock);
    store.withEnvironments(
        new CassandraEnvironmentRegistry(
            system,
            session,
            node.journalKeyspace(),
            config.getBoolean("abtest.credentials.tables-autocreate"),
            config.getDuration("abtest.credentials.refresh-interval"),
            clock));
    settings.bootstrapAdmin().ifPresent(first -> BootstrapAdminInit.start(system, store, first));
    return new NodeCredentials(store, dev);
  }
}
