package org.abtest.http.routes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.abtest.http.ApiError;
import org.abtest.http.ports.EventService;
import org.abtest.protocol.events.TrackedEvent;

/**
 * Puts every accepted exposure of a batch into the platform's own keys ({@link
 * EventService#canonical}): an obfuscated SDK key sends experiment and variant keys as keyed
 * hashes. An exposure whose hash names nothing live moves to {@code rejected} under its index in
 * the request, like any other bad event; everything else is kept in order.
 */
final class HashedEventKeys {

  private HashedEventKeys() {}

  static EventRequests.Batch canonical(EventRequests.Batch batch, EventService events) {
    Set<Integer> alreadyRejected = new HashSet<>();
    for (EventRequests.Rejection r : batch.rejected()) {
      alreadyRejected.add(r.index());
    }
    List<TrackedEvent> accepted = new ArrayList<>(batch.accepted().size());
    List<EventRequests.Rejection> rejected = new ArrayList<>(batch.rejected());
    int index = 0;
    for (TrackedEvent event : batch.accepted()) {
      // the parser lists each index of the request once, accepted or rejected, in order
      while (alreadyRejected.contains(index)) {
        index++;
      }
      if (!event.isExposure()) {
        accepted.add(event);
      } else {
        try {
          accepted.add(events.canonical(event));
        } catch (ApiError e) {
          rejected.add(
              new EventRequests.Rejection(
                  index, new EventRequests.ErrorBody(e.code(), e.getMessage(), e.field())));
        }
      }
      index++;
    }
    if (rejected.size() == batch.rejected().size()) {
      return new EventRequests.Batch(accepted, batch.rejected());
    }
    rejected.sort(Comparator.comparingInt(EventRequests.Rejection::index));
    return new EventRequests.Batch(accepted, rejected);
  }
}
