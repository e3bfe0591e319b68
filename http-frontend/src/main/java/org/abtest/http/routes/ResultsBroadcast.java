package org.abtest.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.abtest.http.ports.ResultsService;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Live results documents, one publisher per experiment however many sockets watch it: the first
 * subscriber starts a poller whose documents fan out through a {@link BroadcastHub}, the last one
 * to leave stops it. The poll interval is also the throttle, so no experiment is computed more
 * often than that, and each subscriber only receives documents that differ from its previous one
 * ({@code asOf} aside, which changes on every poll).
 *
 * <p>A hub moves at the pace of its slowest consumer, so each subscriber conflates: one that reads
 * slowly (or not at all) holds one pending document, replaced by each newer one, and the others
 * keep receiving at the poll's pace.
 */
final class ResultsBroadcast {

  private record Frame(String json, String fingerprint) {}

  private record Hub(Source<Frame, NotUsed> source, UniqueKillSwitch killSwitch, int subscribers) {
    Hub plus(int delta) {
      return new Hub(source, killSwitch, subscribers + delta);
    }
  }

  private enum Tick {
    INSTANCE
  }

  private final ResultsService results;
  private final Duration interval;
  private final Map<String, Hub> hubs = new HashMap<>(); // guarded by this

  ResultsBroadcast(ResultsService results, Duration interval) {
    this.results = results;
    this.interval = interval;
  }

  /** The documents of one experiment as JSON text: the current one first, then every change. */
  Source<String, NotUsed> subscribe(String key, Materializer materializer) {
    return Source.lazySource(
            () -> {
              // per subscriber: a late joiner may get frames the hub buffered before it came
              AtomicReference<String> last = new AtomicReference<>("");
              return attach(key, materializer)
                  .filter(frame -> !frame.fingerprint().equals(last.getAndSet(frame.fingerprint())))
                  // a slow socket keeps only the newest document: it never holds the hub back
                  .conflate((older, newer) -> newer)
                  .map(Frame::json)
                  .watchTermination(
                      (notUsed, done) -> {
                        done.whenComplete((ok, failure) -> detach(key));
                        return notUsed;
                      });
            })
        .mapMaterializedValue(ignored -> NotUsed.notUsed());
  }

  synchronized int publishers() {
    return hubs.size();
  }

  private synchronized Source<Frame, NotUsed> attach(String key, Materializer materializer) {
    Hub hub = hubs.get(key);
    if (hub == null) {
      hub = start(key, materializer);
    }
    hubs.put(key, hub.plus(1));
    return hub.source();
  }

  private synchronized void detach(String key) {
    Hub hub = hubs.get(key);
    if (hub == null) {
      return;
    }
    if (hub.subscribers() <= 1) {
      hubs.remove(key);
      hub.killSwitch().shutdown();
    } else {
      hubs.put(key, hub.plus(-1));
    }
  }

  private Hub start(String key, Materializer materializer) {
    Pair<UniqueKillSwitch, Source<Frame, NotUsed>> running =
        Source.tick(Duration.ZERO, interval, Tick.INSTANCE)
            .mapAsync(
                1,
                tick ->
                    results
                        .results(key)
                        // a failed poll (timeout, node restarting) skips a beat, it ends nothing
                        .handle(
                            (doc, failure) ->
                                failure == null
                                    ? Optional.of(frame(doc))
                                    : Optional.<Frame>empty()))
            .filter(Optional::isPresent)
            .map(Optional::get)
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(BroadcastHub.of(Frame.class, 4), Keep.both())
            .run(materializer);
    return new Hub(running.second(), running.first(), 0);
  }

  private static Frame frame(JsonNode doc) {
    JsonNode stable = doc;
    if (doc instanceof ObjectNode object && object.has("asOf")) {
      ObjectNode copy = object.deepCopy();
      copy.remove("asOf");
      stable = copy;
    }
    return new Frame(doc.toString(), stable.toString());
  }
}
