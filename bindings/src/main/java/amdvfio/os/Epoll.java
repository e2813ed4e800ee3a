package amdvfio.os;

import amdvfio.bindings.libc.epoll_event;
import amdvfio.bindings.libc.libc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An epoll set. Each registered descriptor carries a 64-bit token that {@link #await} reports
 * back. {@code struct epoll_event} is packed on x86-64 (12 bytes, the 64-bit data at offset 4),
 * so the token is read unaligned (see {@link epoll_event}).
 *
 * <p>Threading: one thread waits; others may add or remove descriptors (the kernel allows it).
 * Close it only after the waiting thread has left {@link #await}.
 */
public final class Epoll extends Fd {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctlEvent = epoll_event.allocate(arena);
    private final MemorySegment events;
    private final int capacity;

    private Epoll(int fd, int capacity) {
        super(fd, "epoll");
        this.capacity = capacity;
        this.events = epoll_event.allocateArray(capacity, arena);
    }

    /** A close-on-exec epoll set reporting up to {@code capacity} events per wait. */
    public static Epoll create(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("epoll capacity must be positive: " + capacity);
        }
        MemorySegment cs = Syscalls.callState();
        int fd = libc_h.epoll_create1(cs, libc_h.EPOLL_CLOEXEC());
        if (fd < 0) {
            throw new SyscallException("epoll_create1", Syscalls.errno(cs));
        }
        return new Epoll(fd, capacity);
    }

    /** Watches {@code fd} for readability ({@code EPOLLIN}), reporting {@code token}. */
    public void add(Fd fd, long token) {
        control(libc_h.EPOLL_CTL_ADD(), fd, libc_h.EPOLLIN(), token, "EPOLL_CTL_ADD");
    }

    /** Watches {@code fd} for {@code events} (EPOLLIN, EPOLLOUT, ...), reporting {@code token}. */
    public void add(Fd fd, int events, long token) {
        control(libc_h.EPOLL_CTL_ADD(), fd, events, token, "EPOLL_CTL_ADD");
    }

    public void remove(Fd fd) {
        control(libc_h.EPOLL_CTL_DEL(), fd, 0, 0, "EPOLL_CTL_DEL");
    }

    private synchronized void control(int op, Fd fd, int events, long token, String opName) {
        epoll_event.events(ctlEvent, events);
        epoll_event.data(ctlEvent, token);
        MemorySegment cs = Syscalls.callState();
        if (libc_h.epoll_ctl(cs, value(), op, fd.value(), ctlEvent) < 0) {
            throw new SyscallException("epoll_ctl(" + opName + ", " + fd.name() + ")", Syscalls.errno(cs));
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for events; returns how many are ready
     * (0 on timeout or when interrupted by a signal). Read them with {@link #token}/{@link #events}.
     */
    public int await(int timeoutMillis) {
        MemorySegment cs = Syscalls.callState();
        int n = libc_h.epoll_wait(cs, value(), events, capacity, timeoutMillis);
        if (n < 0) {
            int err = Syscalls.errno(cs);
            if (err == libc_h.EINTR()) {
                return 0;
            }
            throw new SyscallException("epoll_wait", err);
        }
        return n;
    }

    /** The token of ready event {@code i} of the last {@link #await}. */
    public long token(int i) {
        return events.get(epoll_event.data$layout(), i * epoll_event.sizeof() + epoll_event.data$offset());
    }

    /** The event bits (EPOLLIN, EPOLLHUP, ...) of ready event {@code i} of the last {@link #await}. */
    public int events(int i) {
        return events.get(epoll_event.events$layout(), i * epoll_event.sizeof() + epoll_event.events$offset());
    }

    @Override
    public void close() {
        boolean wasOpen = isOpen();
        super.close();
        if (wasOpen) {
            arena.close();
        }
    }
}
