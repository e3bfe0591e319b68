package org.abtest.protocol.targeting;

import static org.abtest.protocol.targeting.Json.json;
import static org.abtest.protocol.targeting.Json.matches;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetOperatorsTest {

  @Test
  void inMatchesAnyListedValueOfTheSameType() {
    assertThat(matches("{'c': {'$in': ['US', 'CA']}}", "{'c': 'CA'}")).isTrue();
    assertThat(matches("{'c': {'$in': ['US', 'CA']}}", "{'c': 'us'}")).isFalse();
    assertThat(matches("{'n': {'$in': [1, 2]}}", "{'n': 2.0}")).isTrue();
    assertThat(matches("{'n': {'$in': [1, 2]}}", "{'n': '2'}")).isFalse();
    assertThat(matches("{'b': {'$in': [true, null]}}", "{'b': true}")).isTrue();
    assertThat(matches("{'b': {'$in': [true, null]}}", "{}")).isTrue();
    assertThat(matches("{'b': {'$in': [true]}}", "{'b': false}")).isFalse();
  }

  @Test
  void inOnAnArrayAttributeMatchesWhenAnyElementIsListed() {
    assertThat(matches("{'t': {'$in': ['a', 'b']}}", "{'t': ['x', 'b']}")).isTrue();
    assertThat(matches("{'t': {'$in': ['a', 'b']}}", "{'t': ['x', 'y']}")).isFalse();
    assertThat(matches("{'t': {'$in': ['a', 'b']}}", "{'t': []}")).isFalse();
  }

  @Test
  void ninMatchesWhenNoValueOrElementIsListed() {
    assertThat(matches("{'c': {'$nin': ['US', 'CA']}}", "{'c': 'FR'}")).isTrue();
    assertThat(matches("{'c': {'$nin': ['US', 'CA']}}", "{'c': 'US'}")).isFalse();
    assertThat(matches("{'t': {'$nin': ['a']}}", "{'t': ['x', 'a']}")).isFalse();
    assertThat(matches("{'t': {'$nin': ['a']}}", "{'t': []}")).isTrue();
    assertThat(matches("{'c': {'$nin': ['US']}}", "{}")).isTrue();
  }

  @Test
  void iniAndNiniIgnoreCaseOnBothSides() {
    assertThat(matches("{'c': {'$ini': ['us', 'Ca']}}", "{'c': 'CA'}")).isTrue();
    assertThat(matches("{'t': {'$ini': ['A']}}", "{'t': ['x', 'a']}")).isTrue();
    assertThat(matches("{'c': {'$ini': ['us']}}", "{'c': 'fr'}")).isFalse();
    assertThat(matches("{'c': {'$nini': ['us']}}", "{'c': 'US'}")).isFalse();
    assertThat(matches("{'c': {'$nini': ['us']}}", "{'c': 'FR'}")).isTrue();
  }

  @Test
  void inGroupMatchesMembersOfTheSavedGroup() {
    SavedGroups groups = SavedGroups.of(json("{'beta': ['u1', 'u2', 7]}"));
    assertThat(matches("{'id': {'$inGroup': 'beta'}}", "{'id': 'u2'}", groups)).isTrue();
    assertThat(matches("{'id': {'$inGroup': 'beta'}}", "{'id': 7}", groups)).isTrue();
    assertThat(matches("{'id': {'$inGroup': 'beta'}}", "{'id': '7'}", groups)).isFalse();
    assertThat(matches("{'id': {'$inGroup': 'beta'}}", "{'id': 'u3'}", groups)).isFalse();
    assertThat(matches("{'id': {'$inGroup': 'beta'}}", "{'id': ['u3', 'u1']}", groups)).isTrue();
  }

  @Test
  void notInGroupMatchesEveryoneOutsideTheSavedGroup() {
    SavedGroups groups = SavedGroups.ofStrings(Map.of("staff", List.of("alice")));
    assertThat(matches("{'id': {'$notInGroup': 'staff'}}", "{'id': 'bob'}", groups)).isTrue();
    assertThat(matches("{'id': {'$notInGroup': 'staff'}}", "{'id': 'alice'}", groups)).isFalse();
    assertThat(matches("{'id': {'$notInGroup': 'staff'}}", "{}", groups)).isTrue();
  }

  @Test
  void lenientCompileTreatsAnUnknownGroupAsEmptyLikeGrowthbook() {
    Condition in = Conditions.compileLenient(json("{'id': {'$inGroup': 'x'}}"), SavedGroups.NONE);
    Condition out =
        Conditions.compileLenient(json("{'id': {'$notInGroup': 'x'}}"), SavedGroups.NONE);
    assertThat(in.matches(json("{'id': 1}"))).isFalse();
    assertThat(out.matches(json("{'id': 1}"))).isTrue();
  }

  @Test
  void savedGroupsKnowTheirIds() {
    SavedGroups groups = SavedGroups.of(json("{'beta': []}"));
    assertThat(groups.contains("beta")).isTrue();
    assertThat(groups.contains("gamma")).isFalse();
    assertThat(SavedGroups.of(null)).isSameAs(SavedGroups.NONE);
  }
}
