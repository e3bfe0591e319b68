package org.abtest.protocol.experiment;

import java.time.Instant;
import org.abtest.protocol.CborSerializable;

/**
 * A period with one randomization: a weight change on a running experiment starts a new phase with
 * a new salt (unless sticky), and results are kept per phase.
 */
public record Phase(int number, String salt, Instant startedAt) implements CborSerializable {}
