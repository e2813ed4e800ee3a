package amdvfio.os;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrappersTest {

    @Test
    void anEventFdSignalledFromAnotherThreadWakesAnEpollWait() throws Exception {
        try (Epoll epoll = Epoll.create(4); EventFd irq = EventFd.create("irq"); EventFd other = EventFd.create("other")) {
            epoll.add(other, 7);
            epoll.add(irq, 42);
            CompletableFuture<Void> signaller = CompletableFuture.runAsync(() -> {
                sleep(50);
                irq.signal(3);
            });

            int ready = epoll.await(5_000);

            signaller.get(5, TimeUnit.SECONDS);
            assertEquals(1, ready);
            assertEquals(42, epoll.token(0));
            assertTrue((epoll.events(0) & amdvfio.bindings.libc.libc_h.EPOLLIN()) != 0);
            assertEquals(3, irq.drain(), "the counter holds the sum of the signals");
            assertEquals(0, irq.drain(), "draining resets it");
            assertEquals(0, epoll.await(0), "nothing is ready after the drain");
        }
    }

    @Test
    void aMemFdMappingReplacedWithAnonymousMemoryKeepsItsAddressAndReadsZeros() {
        try (MemFd vram = MemFd.create("vram", 1 << 20); Mapping m = vram.map()) {
            MemorySegment seg = m.segment();
            seg.fill((byte) 0x5a);
            long address = m.address();

            m.replaceWithAnonymous();

            assertEquals(address, m.address());
            assertEquals(0, seg.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0, seg.get(ValueLayout.JAVA_LONG, (1 << 20) - 8));
            seg.set(ValueLayout.JAVA_INT, 4096, 0xdeafbeef);
            assertEquals(0xdeafbeef, seg.get(ValueLayout.JAVA_INT, 4096), "the replacement is writable");
            try (Mapping again = vram.map()) {
                assertEquals(0x5a5a5a5a, again.segment().get(ValueLayout.JAVA_INT, 4096),
                        "writes after the replacement no longer reach the memfd");
            }
        }
    }

    @Test
    void aConcurrentReaderNeverFaultsWhileItsMappingIsReplaced() throws Exception {
        try (MemFd vram = MemFd.create("vram", 64 << 10); Mapping m = vram.map()) {
            m.segment().fill((byte) 1);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                long odd = 0;
                while (!stop.get()) {
                    byte b = m.segment().get(ValueLayout.JAVA_BYTE, (reads.incrementAndGet() * 4096) % (64 << 10));
                    if (b != 0 && b != 1) {
                        odd++;
                    }
                }
                return odd;
            });
            while (reads.get() < 1000) {
                Thread.onSpinWait();
            }
            m.replaceWithAnonymous();
            long after = reads.get();
            while (reads.get() < after + 1000) {
                Thread.onSpinWait();
            }
            stop.set(true);
            assertEquals(0, reader.get(5, TimeUnit.SECONDS), "the reader saw only old bytes or zeros");
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        EventFd e = EventFd.create("twice");
        e.close();
        e.close();
        assertFalse(e.isOpen());
        MemFd f = MemFd.create("twice", 4096);
        Mapping m = f.map();
        m.close();
        m.close();
        f.close();
        f.close();
        assertThrows(IllegalStateException.class, m::replaceWithAnonymous);
    }

    @Test
    void aBadDescriptorFailsWithATypedEbadf() {
        EventFd e = EventFd.create("closed");
        e.close();
        SyscallException ex = assertThrows(SyscallException.class, () -> e.signal(1));
        assertEquals(Errno.EBADF, ex.error());
        assertEquals("EBADF", ex.errnoName());
        assertTrue(ex.getMessage().contains("failed: EBADF (Bad file descriptor)"), ex.getMessage());

        SyscallException closeBad = assertThrows(SyscallException.class, () -> Syscalls.close(987_654));
        assertTrue(closeBad.is(Errno.EBADF));
        assertEquals("close(987654)", closeBad.call());
    }

    @Test
    void openOfAMissingFileSaysWhichFileAndEnoent() {
        SyscallException ex = assertThrows(SyscallException.class, () -> Fd.open("/dev/vfio/nonexistent", 2));
        assertEquals(Errno.ENOENT, ex.error());
        assertEquals("open(/dev/vfio/nonexistent) failed: ENOENT (No such file or directory)", ex.getMessage());
    }

    @Test
    void aPreadPwriteRoundTripThroughAMemFd() {
        try (MemFd f = MemFd.create("rw", 8192); Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3, 4);
            f.pwriteFully(out, 4000);
            MemorySegment in = arena.allocate(16);
            f.preadFully(in, 4000);
            assertEquals(-1, in.mismatch(out));
        }
    }

    @Test
    void invalidSizesAreRejectedBeforeAnySyscall() {
        assertThrows(IllegalArgumentException.class, () -> MemFd.create("zero", 0));
        assertThrows(IllegalArgumentException.class, () -> Epoll.create(0));
        try (MemFd f = MemFd.create("small", 4096)) {
            assertThrows(IllegalArgumentException.class, () -> f.map(0, 8192));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
