package amdvfio.os;

/**
 * A system call failed. Carries the call as it was made ("ioctl(VFIO_DEVICE_SET_IRQS)"), the
 * errno number and its symbolic name, and reads like
 * {@code ioctl(VFIO_DEVICE_SET_IRQS) failed: EINVAL (Invalid argument)}.
 */
public class SyscallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public SyscallException(String call, int errno) {
        this(call, errno, null);
    }

    /** With a hint appended to the message that says what the user can do about it. */
    public SyscallException(String call, int errno, String hint) {
        super(call + " failed: " + Errno.nameOf(errno) + " (" + Errno.messageOf(errno) + ")"
                + (hint == null ? "" : ": " + hint));
        this.call = call;
        this.errno = errno;
    }

    /** The call as it was made, e.g. "open(/dev/vfio/12)". */
    public String call() {
        return call;
    }

    /** The raw errno value. */
    public int errno() {
        return errno;
    }

    /** The errno as a constant, or null when it is not one {@link Errno} names. */
    public Errno error() {
        return Errno.of(errno);
    }

    /** The symbolic errno name, e.g. "EBUSY". */
    public String errnoName() {
        return Errno.nameOf(errno);
    }

    /** True when the call failed with {@code e}. */
    public boolean is(Errno e) {
        return errno == e.number();
    }
}
