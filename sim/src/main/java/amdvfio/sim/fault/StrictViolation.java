package amdvfio.sim.fault;

/**
 * Something a driver did that real hardware punishes (hang, lost doorbell, misfetch), flagged by
 * strict mode. {@code rule} names the check, {@code detail} has the values.
 */
public record StrictViolation(String source, String rule, String detail) {

    @Override
    public String toString() {
        return source + ": " + rule + " (" + detail + ")";
    }
}
