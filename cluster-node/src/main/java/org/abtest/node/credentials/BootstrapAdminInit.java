package org.abtest.node.credentials;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the bootstrap admin token at startup, trying again while Cassandra is not reachable yet (a
 * fresh deployment starts its nodes and its database together), as often as {@code
 * abtest.credentials.bootstrap-admin-attempts} says. A node that never manages it still serves
 * every other credential.
 */
final class BootstrapAdminInit {

  private static final Logger log = LoggerFactory.getLogger(BootstrapAdminInit.class);

  private BootstrapAdminInit() {}

  static void start(ActorSystem<?> system, CassandraCredentialStore store, BootstrapAdmin admin) {
    var settings = system.settings().config().getConfig("abtest.credentials");
    Patterns.retry(
            () -> store.ensureAdmin(admin),
            settings.getInt("bootstrap-admin-attempts"),
            settings.getDuration("bootstrap-admin-retry-delay"),
            system.classicSystem().scheduler(),
            system.executionContext())
        .whenComplete(
            (stored, failure) -> {
              if (failure != null) {
                log.error("could not store the bootstrap admin token {}", admin.id(), failure);
              } else if (!stored) {
                log.info("bootstrap admin token {} exists already (kept as it is)", admin.id());
              }
            });
  }
}
