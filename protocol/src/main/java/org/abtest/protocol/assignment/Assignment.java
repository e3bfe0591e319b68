package org.abtest.protocol.assignment;

import com.fasterxml.jackson.databind.JsonNode;

/** A unit's variant in one experiment and the config it should apply. */
public record Assignment(String experiment, String variant, JsonNode config) {}
