package org.abtest.georeplication;

import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.javadsl.EventsByTagQuery;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The tag of every event that shapes a region's manifest (experiment and layer events). Per region,
 * because with a journal shared by replicas each region's projection follows its own replica, which
 * holds the events of every region once replicated.
 */
public final class ManifestTags {

  private ManifestTags() {}

  public static String forRegion(String region) {
    return "manifest-" + region;
  }

  /**
   * Every event of a region's tag from the start, then live; restarted with backoff when the
   * journal fails (a restart reads from the start again, which the readers tolerate).
   */
  static Source<EventEnvelope, NotUsed> follow(EventsByTagQuery journal, String region) {
    return RestartSource.withBackoff(
        RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2),
        () -> journal.eventsByTag(forRegion(region), Offset.noOffset()));
  }
}
