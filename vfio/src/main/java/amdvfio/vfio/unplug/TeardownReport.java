package amdvfio.vfio.unplug;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a device's teardown: why it began, the state reached, when each state was
 * entered (nanoseconds after the trigger, -1 if not reached), each fini step's time and failure,
 * and the loss signals that arrived after the first and were ignored.
 *
 * <p>{@code triggerNanoTime} is the {@link System#nanoTime()} of the trigger (0 before it), to
 * compare with other clock readings of this JVM, such as when a removal was signalled.
 * {@code earlyFiniStartedAfterTriggerNanos} is the hand-off: from the trigger to the teardown
 * thread running the first early-fini step (-1 until then).
 */
public record TeardownReport(String device, LossReason reason, Instant triggeredAt, long triggerNanoTime,
                             long earlyFiniStartedAfterTriggerNanos, Lifecycle.State state,
                             long[] enteredAfterTriggerNanos, List<Step> steps, List<LossReason> ignoredTriggers) {

    public TeardownReport {
        enteredAfterTriggerNanos = enteredAfterTriggerNanos.clone();
        steps = List.copyOf(steps);
        ignoredTriggers = List.copyOf(ignoredTriggers);
    }

    /** Which fini list a step belongs to. */
    public enum Phase { EARLY_FINI, LATE_FINI }

    /** One callback: {@code failure} is null when it completed. */
    public record Step(Phase phase, String name, long nanos, String thread, Throwable failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    /** Nanoseconds after the trigger at which {@code s} was entered, or -1. */
    public long enteredAfterTrigger(Lifecycle.State s) {
        return enteredAfterTriggerNanos[s.ordinal()];
    }

    /**
     * How long the device stayed in {@code s} (UNPLUGGING: early fini; DETACHED: waiting for the
     * last client plus late fini), or -1 when it has not left it (or never entered it).
     */
    public long nanosIn(Lifecycle.State s) {
        int i = s.ordinal();
        if (i + 1 >= enteredAfterTriggerNanos.length || enteredAfterTriggerNanos[i] < 0 || enteredAfterTriggerNanos[i + 1] < 0) {
            return -1;
        }
        return enteredAfterTriggerNanos[i + 1] - enteredAfterTriggerNanos[i];
    }

    /** Sum of the step times of one fini list. */
    public long phaseNanos(Phase phase) {
        return steps.stream().filter(s -> s.phase() == phase).mapToLong(Step::nanos).sum();
    }

    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<Step> failures() {
        return steps.stream().filter(Step::failed).toList();
    }
}
