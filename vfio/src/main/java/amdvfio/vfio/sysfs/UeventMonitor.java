package amdvfio.vfio.sysfs;

import amdvfio.bindings.libc.libc_h;
import amdvfio.bindings.libc.sockaddr_nl;
import amdvfio.os.Epoll;
import amdvfio.os.Fd;
import amdvfio.os.SyscallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Optional;

/**
 * Listens to the kernel's device events on a NETLINK_KOBJECT_UEVENT socket (the group-1
 * multicast the kernel sends every add/remove/bind/unbind on), as udev and DPDK's
 * {@code eal_dev.c} hotplug monitor do. This is how a testbench sees an eGPU arrive or leave
 * without polling sysfs.
 *
 * <p>Threading: one thread calls {@link #next}; {@link #close()} after it has returned.
 */
public final class UeventMonitor implements AutoCloseable {

    /** The kernel's multicast group (udev rebroadcasts on group 2, which we do not want). */
    private static final int KERNEL_GROUP = 1;
    private static final int BUFFER = 64 << 10;

    private final Fd socket;
    private final Epoll epoll;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER);
    private final byte[] bytes = new byte[BUFFER];
    private final MemorySegment callState = libc_h.allocateCallState(arena);

    private UeventMonitor(Fd socket, Epoll epoll) {
        this.socket = socket;
        this.epoll = epoll;
    }

    /**
     * Opens and binds the socket.
     *
     * @throws SyscallException e.g. EPERM where netlink sockets are not allowed (some containers)
     */
    public static UeventMonitor open() {
        MemorySegment cs = libc_h.allocateCallState(Arena.ofAuto()); // once per open: not a hot path
        int fd = libc_h.socket(cs, libc_h.AF_NETLINK(), libc_h.SOCK_DGRAM() | libc_h.SOCK_CLOEXEC() | libc_h.SOCK_NONBLOCK(),
                libc_h.NETLINK_KOBJECT_UEVENT());
        if (fd < 0) {
            throw new SyscallException("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)", libc_h.errno(cs));
        }
        Fd socket = new Fd(fd, "netlink:uevent");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = sockaddr_nl.allocate(a);
            sockaddr_nl.nl_family(addr, (short) libc_h.AF_NETLINK());
            sockaddr_nl.nl_pid(addr, 0); // let the kernel assign the port id
            sockaddr_nl.nl_groups(addr, KERNEL_GROUP);
            if (libc_h.bind(cs, fd, addr, (int) sockaddr_nl.sizeof()) < 0) {
                int errno = libc_h.errno(cs);
                socket.close();
                throw new SyscallException("bind(netlink uevent group 1)", errno,
                        "listening to kernel uevents needs root or CAP_NET_ADMIN in this network namespace");
            }
        }
        Epoll epoll = Epoll.create(1);
        epoll.add(socket, 0);
        return new UeventMonitor(socket, epoll);
    }

    /** The next kernel uevent, waiting up to {@code timeout}; empty on timeout. */
    public Optional<Uevent> next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long n = receive();
            if (n > 0) {
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) n);
                Optional<Uevent> event = Uevent.parse(bytes, (int) n);
                if (event.isPresent()) {
                    return event;
                }
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            epoll.await((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        }
    }

    /** One datagram into the buffer, or 0 when none is waiting. */
    private long receive() {
        long n = libc_h.recv(callState, socket.value(), buffer, BUFFER, 0);
        if (n < 0) {
            int errno = libc_h.errno(callState);
            if (errno == libc_h.EAGAIN() || errno == libc_h.EINTR()) {
                return 0;
            }
            if (errno == libc_h.ENOBUFS()) {
                return 0; // the kernel dropped events: the caller re-reads sysfs on the next one
            }
            throw new SyscallException("recv(netlink uevent)", errno);
        }
        return n;
    }

    @Override
    public void close() {
        epoll.close();
        socket.close();
        arena.close();
    }
}
