package amdvfio.tools;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A soak's running counts: rounds, removals of each kind, fences, and the first failure; constant memory. */
final class SoakTally {

    private final Map<Testbench.Removal, Long> removals = new EnumMap<>(Testbench.Removal.class);
    private long rounds;
    private long fencesSignaled;
    private long fencesLost;
    private Cycle.Result firstFailure;

    void add(Cycle.Result r) {
        rounds++;
        removals.merge(r.removal(), 1L, Long::sum);
        fencesSignaled += r.fencesSignaled();
        fencesLost += r.fencesLost();
        if (!r.ok() && firstFailure == null) {
            firstFailure = r;
        }
    }

    long rounds() {
        return rounds;
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
