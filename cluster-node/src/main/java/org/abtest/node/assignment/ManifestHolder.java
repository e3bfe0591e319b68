package org.abtest.node.assignment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.abtest.http.ports.ManifestService;
import org.abtest.protocol.assignment.Buildable;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.experiment.Environments;
import org.abtest.protocol.manifest.Manifest;

/**
 * The node's current manifest, read by every assignment request without asking an actor. Only the
 * evaluator actor writes it, and it never goes back to an older version. Compiling the manifest and
 * writing its JSON happen in {@link #offer}, on the actor's thread, so requests only read a
 * finished snapshot.
 *
 * <p>An experiment that cannot be built (too deep to write, not compilable) is left out of what is
 * served and evaluated and reported by {@link #degraded()}; it never keeps a newer manifest, and so
 * a kill of another experiment, from taking effect.
 */
public final class ManifestHolder implements ManifestService {

  /** What one environment's SDK keys evaluate and download. */
  private record View(CompiledManifest compiled, SdkManifestViews served) {
    static View of(Manifest manifest) {
      return new View(CompiledManifest.compile(manifest), SdkManifestViews.of(manifest));
    }
  }

  /**
   * {@code all}: the whole manifest, before per-environment settings apply. {@code byEnvironment}:
   * the view of every environment some experiment's settings name, and of the default one; {@code
   * unlisted}: the view of every other environment (the experiments without settings only). Without
   * any settings there is one view, and {@code all} is it.
   */
  private record Snapshot(
      View all, Map<String, View> byEnvironment, View unlisted, Map<String, String> degraded) {

    View view(String environment) {
      return byEnvironment.getOrDefault(environment, unlisted);
    }

    CompiledManifest compiled() {
      return all.compiled();
    }

    SdkManifestViews served() {
      return all.served();
    }

    /** The distinct views held: the whole manifest, each environment's, the unlisted one. */
    java.util.Set<View> views() {
      java.util.Set<View> out =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      out.add(all);
      out.addAll(byEnvironment.values());
      out.add(unlisted);
      return out;
    }
  }

  private final AtomicReference<Snapshot> current = new AtomicReference<>(null);
  private final EndedExperiments ended;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** With the system clock and the default grace for exposures of ended experiments. */
  public ManifestHolder() {
    this(EndedExperiments.Settings.DEFAULTS, System::currentTimeMillis);
  }

  public ManifestHolder(EndedExperiments.Settings ended, LongSupplier clockMillis) {
    this.ended = new EndedExperiments(ended, clockMillis);
  }

  /**
   * Runs {@code listener} after every manifest taken, on the thread that offered it (the evaluator
   * actor's: keep it short), before the next one can be offered.
   */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Experiments that left the live set lately, for exposures made before they left. */
  public EndedExperiments ended() {
    return ended;
  }

  /** Null until the first manifest arrives: assignment then answers with defaults. */
  public Manifest current() {
    Snapshot s = current.get();
    return s == null ? null : s.compiled().manifest();
  }

  /**
   * The whole compiled manifest, every environment's experiments at their own coverage; {@link
   * CompiledManifest#EMPTY} before the first one. Requests evaluate {@link #compiled(String)}.
   */
  public CompiledManifest compiled() {
    Snapshot s = current.get();
    return s == null ? CompiledManifest.EMPTY : s.compiled();
  }

  /**
   * What the SDK keys of {@code environment} evaluate ({@link Manifest#forEnvironment}), of the
   * same version as {@link #compiled()}; {@link CompiledManifest#EMPTY} before the first manifest.
   */
  public CompiledManifest compiled(String environment) {
    Snapshot s = current.get();
    return s == null ? CompiledManifest.EMPTY : s.view(environment).compiled();
  }

  /**
   * The running experiments this node serves as off because they cannot be built, key → reason: for
   * the health detail, the metric and the log.
   */
  /**
   * How many manifest views the node holds (one per environment some experiment's settings name, at
   * most {@link Environments#MAX}, plus the whole manifest and the unlisted environments').
   */
  public int views() {
    Snapshot s = current.get();
    return s == null ? 0 : s.views().size();
  }

  /** The serialized SDK bodies of those views, in bytes (each compiled view is of that order). */
  public long viewBytes() {
    Snapshot s = current.get();
    long bytes = 0;
    if (s != null) {
      for (View v : s.views()) {
        bytes += v.served().bytes();
      }
    }
    return bytes;
  }

  public Map<String, String> degraded() {
    Snapshot s = current.get();
    return s == null ? Map.of() : s.degraded();
  }

  @Override
  public Optional<Served> served() {
    return served(false);
  }

  @Override
  public Optional<Served> served(boolean obfuscated) {
    return served(Environments.DEFAULT, obfuscated);
  }

  @Override
  public Optional<Served> served(String environment, boolean obfuscated) {
    Snapshot s = current.get();
    return s == null
        ? Optional.empty()
        : Optional.of(s.view(environment).served().view(obfuscated));
  }

  /** Takes the manifest unless it is older than the one held; true when taken. */
  public boolean offer(Manifest manifest) {
    Snapshot before = current.get();
    if (before != null && before.compiled().version() > manifest.version()) {
      return false;
    }
    Manifest usable = Buildable.usable(manifest);
    View all = View.of(usable);
    CompiledManifest compiled = all.compiled();
    Map<String, String> degraded = new TreeMap<>(usable.degraded());
    for (String problem : compiled.problems()) {
      int colon = problem.indexOf(": ");
      degraded.put(colon < 0 ? problem : problem.substring(0, colon), problem);
    }
    Snapshot next = snapshot(usable, all, Map.copyOf(degraded));
    while (!current.compareAndSet(before, next)) {
      before = current.get();
      if (before != null && before.compiled().version() > manifest.version()) {
        return false;
      }
    }
    if (before != null) {
      ended.replaced(before.compiled(), before.served().plain().json().length, compiled);
    }
    listeners.forEach(Runnable::run);
    return true;
  }

  /**
   * One view per environment named by some experiment's settings (they name registered environments
   * only, so at most {@link Environments#MAX}), plus the default's and one shared by all others: a
   * manifest with settings costs each change one compile per view.
   */
  private static Snapshot snapshot(Manifest usable, View all, Map<String, String> degraded) {
    if (usable.environments().isEmpty()) {
      return new Snapshot(all, Map.of(), all, degraded);
    }
    Map<String, View> views = new HashMap<>();
    Set<String> named = new TreeSet<>(usable.namedEnvironments());
    named.add(Environments.DEFAULT);
    for (String environment : named) {
      if (views.size() >= Environments.MAX) {
        break; // more than a registry holds: those environments share the unlisted view
      }
      views.put(environment, View.of(usable.forEnvironment(environment)));
    }
    // "" is no environment's key: the experiments that have settings are all off there
    return new Snapshot(all, Map.copyOf(views), View.of(usable.forEnvironment("")), degraded);
  }
}
