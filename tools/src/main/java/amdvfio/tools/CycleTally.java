package amdvfio.tools;

import amdvfio.driver.reset.CardReport;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Running counts of removal cycles (hotplug-loop iterations, soak rounds): cycles, healthy ones,
 * removals of each kind, fences, the first loss signal seen and the first failure. Constant
 * memory, so an 8-hour run costs what a short one does.
 */
final class CycleTally {

    private final Map<Testbench.Removal, Long> removals = new EnumMap<>(Testbench.Removal.class);
    /** How the card came back on each re-plug: booted cold, reused warm, reset then booted. */
    private final Map<CardReport.Action, Long> boots = new EnumMap<>(CardReport.Action.class);
    private long rounds;
    private long healthy;
    private String signal;
    private long fencesSignaled;
    private long fencesLost;
    private Cycle.Result firstFailure;

    void add(Cycle.Result r) {
        rounds++;
        removals.merge(r.removal(), 1L, Long::sum);
        fencesSignaled += r.fencesSignaled();
        fencesLost += r.fencesLost();
        if (r.boot() != null) {
            boots.merge(r.boot().card().action(), 1L, Long::sum);
        }
        if (r.ok()) {
            healthy++;
        }
        if (signal == null && r.signal() != null) {
            signal = r.signal().name();
        }
        if (!r.ok() && firstFailure == null) {
            firstFailure = r;
        }
    }

    long rounds() {
        return rounds;
    }

    long healthy() {
        return healthy;
    }

    long failures() {
        return rounds - healthy;
    }

    /** The name of the first loss signal seen ("REQ", …), or "-". */
    String signalName() {
        return signal == null ? "-" : signal;
    }

    long fencesSignaled() {
        return fencesSignaled;
    }

    long fencesLost() {
        return fencesLost;
    }

    /** The first round that failed, or null. */
    Cycle.Result firstFailure() {
        return firstFailure;
    }

    Map<String, Long> removalsJson() {
        Map<String, Long> m = new LinkedHashMap<>();
        removals.forEach((k, v) -> m.put(k.name().toLowerCase(), v));
        return m;
    }

    Map<String, Long> bootsJson() {
        Map<String, Long> m = new LinkedHashMap<>();
        boots.forEach((k, v) -> m.put(k.name().toLowerCase(), v));
        return m;
    }

    /** "boot 9, reuse 1" — how many re-plugs came back cold and were booted, were reused warm, were reset. */
    String bootsText() {
        return boots.isEmpty() ? "no re-plug" : boots.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase().replace('_', ' ') + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** "orderly 4, surprise 3, aer 2". */
    String removalsText() {
        return removals.isEmpty() ? "no removal" : removals.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
