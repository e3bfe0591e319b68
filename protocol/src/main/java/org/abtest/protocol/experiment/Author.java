package org.abtest.protocol.experiment;

import org.abtest.protocol.CborSerializable;

/**
 * Who asks for a change to an experiment or layer, for the audit trail: the credential's id and its
 * human name (never its secret), or a system component ({@code system}/{@code scheduler}). The
 * admin port takes it and the entities' commands carry it; the events keep it in their origin.
 */
public record Author(String id, String name) implements CborSerializable {}
