package org.abtest.protocol.manifest;

import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.SlotRange;

/**
 * The global holdout: units with {@code bucket(salt, unit)} in {@code range} get defaults in every
 * experiment that respects the holdout.
 */
public record Holdout(String salt, SlotRange range) implements CborSerializable {}
