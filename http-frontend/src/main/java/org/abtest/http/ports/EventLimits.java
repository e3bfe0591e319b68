package org.abtest.http.ports;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * What one event may be, checked at the edge before anything is produced: a value past these limits
 * is a rejection naming the field, never a record that Kafka, the consumer or the unit state fails
 * on later. Read once from {@code abtest.events} (kafka.conf); {@code maxRecordBytes} is not
 * configured here but derived from the producer's own {@code max.request.size}.
 *
 * @param maxLateness how far in the past {@code ts} may lie
 * @param maxSkew how far in the future {@code ts} may lie (client clocks run fast)
 * @param maxIdLength characters of {@code eventId}
 * @param maxUnitLength characters of a unit id, in events and in assignments alike
 * @param maxKeyLength characters of {@code experiment}, {@code variant} and {@code event}
 * @param maxAttributes values (leaves, objects and arrays) in {@code attributes}
 * @param maxAttributesDepth nesting of objects and arrays in {@code attributes}
 * @param maxAttributesBytes encoded size of {@code attributes}
 * @param maxBodyBytes size of a whole {@code POST /v1/events} body (413 beyond)
 * @param maxRecordBytes the largest Kafka record value the producer sends
 */
public record EventLimits(
    Duration maxLateness,
    Duration maxSkew,
    int maxIdLength,
    int maxUnitLength,
    int maxKeyLength,
    int maxAttributes,
    int maxAttributesDepth,
    int maxAttributesBytes,
    long maxBodyBytes,
    int maxRecordBytes) {

  public EventLimits {
    if (maxLateness.isNegative() || maxSkew.isNegative()) {
      throw new IllegalArgumentException("the event time window must not be negative");
    }
    if (maxAttributesBytes >= maxRecordBytes) {
      throw new IllegalArgumentException(
          "max-attributes-bytes ("
              + maxAttributesBytes
              + ") leaves no room in a Kafka record of "
              + maxRecordBytes
              + " bytes");
    }
  }

  /** {@code abtest.events} as the node configures it. */
  public static EventLimits from(Config events, int maxRecordBytes) {
    return new EventLimits(
        events.getDuration("max-lateness"),
        events.getDuration("max-skew"),
        events.getInt("max-event-id-length"),
        events.getInt("max-unit-length"),
        events.getInt("max-key-length"),
        events.getInt("max-attributes"),
        events.getInt("max-attributes-depth"),
        events.getBytes("max-attributes-bytes").intValue(),
        events.getBytes("max-body-bytes"),
        maxRecordBytes);
  }
}
