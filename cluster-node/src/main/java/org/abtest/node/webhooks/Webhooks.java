package org.abtest.node.webhooks;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import org.abtest.node.NodeSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/** A node's webhooks: the store the routes manage and the dispatcher announcements go to. */
public record Webhooks(CassandraWebhookStore store, WebhookDispatcher dispatcher) {

  public static Webhooks init(
      ActorSystem<?> system,
      NodeSettings node,
      CassandraSession session,
      Clock clock,
      PrometheusRegistry registry) {
    var config = system.settings().config();
    var store =
        new CassandraWebhookStore(
            system,
            session,
            node.journalKeyspace(),
            config.getBoolean("abtest.credentials.tables-autocreate"),
            config.getDuration("abtest.credentials.refresh-interval"),
            clock);
    return new Webhooks(
        store,
        new WebhookDispatcher(store::subscribers, WebhookDispatcher.Settings.DEFAULTS, registry));
  }
}
