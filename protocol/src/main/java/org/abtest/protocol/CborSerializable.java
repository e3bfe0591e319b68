package org.abtest.protocol;

/**
 * Marker for every message, event and state that crosses a JVM boundary or is persisted. It is
 * bound once, in configuration, to Pekko's Jackson CBOR serializer; nothing of ours uses Java
 * serialization.
 */
public interface CborSerializable {}
