package amdvfio.tools;

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

    /** "orderly 4, surprise 3, aer 2". */
    String removalsText() {
        return removals.isEmpty() ? "no removal" : removals.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
