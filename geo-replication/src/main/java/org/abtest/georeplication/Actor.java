package org.abtest.georeplication;

import org.abtest.protocol.CborSerializable;

/** The credential a change was made with: its id and its human name (never its secret). */
public record Actor(String id, String name) implements CborSerializable {}
