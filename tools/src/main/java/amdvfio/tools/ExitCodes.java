package amdvfio.tools;

/**
 * The exit codes of every amdvfio command, documented in {@code --help} and the README, so
 * that testbench scripts can tell the failures apart.
 */
public final class ExitCodes {

    private ExitCodes() {
    }

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** Something else went wrong (the message says what). */
    public static final int FAILURE = 1;
    /** Bad command line: unknown option, malformed value. */
    public static final int USAGE = 2;
    /** The device was not found, or is not ready for VFIO (not bound, group not viable, no IOMMU). */
    public static final int DEVICE_NOT_READY = 3;
    /** The device was lost (removed, AER fatal) while the command ran. */
    public static final int DEVICE_LOST = 4;
    /** A verification (copy, fill, ring or IB test) produced wrong results. */
    public static final int VERIFICATION_FAILED = 5;
    /** Interrupted (Ctrl-C); the device was released. */
    public static final int INTERRUPTED = 130;

    /** The block shown at the end of {@code --help}. */
    public static final String HELP = """
            Exit codes:
              0    success
              1    failure (the message says what happened)
              2    usage error (bad option or value)
              3    device not found or not ready for VFIO
              4    device lost during the command
              5    verification failed (wrong bytes, failed ring/IB test)
              130  interrupted (Ctrl-C); the device was released""";
}
