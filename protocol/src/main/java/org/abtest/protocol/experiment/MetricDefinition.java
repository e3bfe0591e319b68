package org.abtest.protocol.experiment;

import org.abtest.protocol.CborSerializable;

/**
 * A metric of an experiment: which event type feeds it, how a unit's value is formed, and for how
 * long after a unit's first exposure its events count (null: until the experiment ends).
 */
public record MetricDefinition(
    String key, String event, MetricKind kind, Integer attributionWindowHours)
    implements CborSerializable {}
