package amdvfio.os;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An owned file descriptor that is closed exactly once. A second {@link #close()} is harmless;
 * a call on a closed descriptor fails the way the kernel does, with EBADF.
 *
 * <p>Threading: calls may come from any thread; closing while another thread is inside a call on
 * the same descriptor is the caller's race to avoid (as with any fd).
 */
public class Fd implements AutoCloseable {

    private static final VarHandle FD;

    static {
        try {
            FD = MethodHandles.lookup().findVarHandle(Fd.class, "fd", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int fd;
    private final String name;

    /** Takes ownership of {@code fd}; {@code name} says what it is, for messages ("/dev/vfio/12"). */
    public Fd(int fd, String name) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd + " (" + name + ")");
        }
        this.fd = fd;
        this.name = name;
    }

    /** Opens {@code path} with {@code flags} ({@code O_CLOEXEC} is added). */
    public static Fd open(String path, int flags) {
        return new Fd(Syscalls.open(path, flags | amdvfio.bindings.libc.libc_h.O_CLOEXEC()), path);
    }

    /** The raw descriptor, or -1 once closed. */
    public int value() {
        return fd;
    }

    public String name() {
        return name;
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    public int ioctl(long request, MemorySegment arg, String requestName) {
        return Syscalls.ioctl(fd, request, arg, requestName);
    }

    public int ioctl(long request, int arg, String requestName) {
        return Syscalls.ioctl(fd, request, arg, requestName);
    }

    public void preadFully(MemorySegment buf, long offset) {
        Syscalls.preadFully(fd, buf, offset);
    }

    public void pwriteFully(MemorySegment buf, long offset) {
        Syscalls.pwriteFully(fd, buf, offset);
    }

    /** Closes the descriptor if it is still open; later calls are no-ops. */
    @Override
    public void close() {
        int old = (int) FD.getAndSet(this, -1);
        if (old >= 0) {
            Syscalls.close(old);
        }
    }

    @Override
    public String toString() {
        return name + " (fd " + fd + ")";
    }
}
