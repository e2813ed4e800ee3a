package amdvfio.os;

import amdvfio.bindings.libc.libc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A Linux eventfd: a 64-bit counter the kernel (VFIO interrupts, device requests) or another
 * thread adds to, and a reader drains. {@link #signal} and {@link #drain} allocate nothing: they
 * use a per-thread 8-byte buffer.
 */
public final class EventFd extends Fd {

    private static final ThreadLocal<MemorySegment> BUF =
            ThreadLocal.withInitial(() -> Arena.global().allocate(ValueLayout.JAVA_LONG));

    private EventFd(int fd, String name) {
        super(fd, name);
    }

    /** A non-blocking, close-on-exec eventfd starting at zero. */
    public static EventFd create(String name) {
        return create(name, libc_h.EFD_NONBLOCK());
    }

    /** An eventfd with {@code flags} ({@code EFD_CLOEXEC} is added). */
    public static EventFd create(String name, int flags) {
        MemorySegment cs = Syscalls.callState();
        int fd = libc_h.eventfd(cs, 0, flags | libc_h.EFD_CLOEXEC());
        if (fd < 0) {
            throw new SyscallException("eventfd(" + name + ")", Syscalls.errno(cs));
        }
        return new EventFd(fd, "eventfd:" + name);
    }

    /** Adds {@code n} (> 0) to the counter, waking any reader or epoll waiter. */
    public void signal(long n) {
        MemorySegment buf = BUF.get();
        buf.set(ValueLayout.JAVA_LONG, 0, n);
        if (Syscalls.write(value(), buf) != 8) {
            throw new SyscallException("write(" + name() + ")", libc_h.EAGAIN(), "counter would overflow");
        }
    }

    /** Adds one to the counter. */
    public void signal() {
        signal(1);
    }

    /**
     * Reads and resets the counter: the number of signals since the last drain, or 0 when
     * there were none (non-blocking eventfd) — a blocking eventfd waits for one.
     */
    public long drain() {
        MemorySegment buf = BUF.get();
        long n = Syscalls.read(value(), buf);
        return n == 8 ? buf.get(ValueLayout.JAVA_LONG, 0) : 0;
    }
}
