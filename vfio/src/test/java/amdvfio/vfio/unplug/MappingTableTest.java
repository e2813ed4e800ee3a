package amdvfio.vfio.unplug;

import amdvfio.os.MemFd;
import amdvfio.os.Syscalls;
import amdvfio.vfio.MappableRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class MappingTableTest {

    static final long PAGE = Syscalls.pageSize();
    static final long PATTERN = 0x5A5A5A5A5A5A5A5AL;
    static int unique;

    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A memfd standing in for a BAR, filled with {@link #PATTERN}. */
    MemFd vram(String name, long size) {
        MemFd fd = MemFd.create(name + "-" + (unique++) + "-" + ProcessHandle.current().pid(), size);
        toClose.add(fd);
        try (var m = fd.map()) {
            m.segment().fill((byte) 0x5A);
        }
        return fd;
    }

    MappingTable table(DummyPolicy policy) {
        MappingTable t = new MappingTable(policy, 64 * PAGE);
        toClose.add(t);
        return t;
    }

    static String maps() throws Exception {
        return Files.readString(Path.of("/proc/self/maps"));
    }

    @ParameterizedTest
    @EnumSource(DummyPolicy.class)
    void shouldRerouteWhileAReaderKeepsReading(DummyPolicy policy) throws Exception {
        MemFd vram = vram("vram", 32 * PAGE);
        MappingTable table = table(policy);
        ClientMapping m = table.newOwner("client").map(new MappableRange(vram, 0, vram.size()), 0, vram.size());
        MemorySegment seg = m.segment();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong zerosSeen = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                long n = 0;
                while (!stop.get()) {
                    for (long off = 0; off < seg.byteSize(); off += 512) {
                        long v = seg.get(ValueLayout.JAVA_LONG, off);
                        if (v == 0) {
                            zerosSeen.incrementAndGet();
                        } else if (v != PATTERN) {
                            throw new AssertionError("read 0x" + Long.toHexString(v) + " at +" + off);
                        }
                        n++;
                    }
                }
                reads.set(n);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread.sleep(50);

        table.rerouteAll();
        Thread.sleep(50);
        stop.set(true);
        reader.join();

        assertNull(failure.get(), () -> "reader failed: " + failure.get());
        assertTrue(zerosSeen.get() > 0, "the reader saw the dummy memory after the reroute");
        assertEquals(ClientMapping.Backing.DUMMY, m.backing());
        assertEquals(0, seg.get(ValueLayout.JAVA_LONG, 0));
        assertTrue(reads.get() > 0);
    }

    @ParameterizedTest
    @EnumSource(DummyPolicy.class)
    void shouldGiveDummyMemoryToAMappingMadeAfterLoss(DummyPolicy policy) {
        MemFd vram = vram("vram", 8 * PAGE);
        MappingTable table = table(policy);
        MappingOwner owner = table.newOwner("client");
        table.rerouteAll();

        ClientMapping late = owner.map(new MappableRange(vram, 0, vram.size()), PAGE, 2 * PAGE);

        assertEquals(ClientMapping.Backing.DUMMY, late.backing());
        assertEquals(0, late.segment().get(ValueLayout.JAVA_LONG, 0), "dummy memory, not the device's 0x5A");
        late.segment().set(ValueLayout.JAVA_INT, 4, 0xdeafbeef); // writes complete
    }

    @Test
    void shouldLetTheDeviceFdCloseAfterRerouteWithNoMappingNamingIt() throws Exception {
        MemFd vram = vram("vram-release", 16 * PAGE);
        String name = vram.name().substring("memfd:".length());
        MappingTable table = table(DummyPolicy.ZERO_FILL);
        MappingOwner owner = table.newOwner("client");
        ClientMapping a = owner.map(new MappableRange(vram, 0, vram.size()), 0, 4 * PAGE);
        ClientMapping b = owner.map(new MappableRange(vram, 0, vram.size()), 8 * PAGE, 8 * PAGE);
        assertTrue(maps().contains(name), "mapped before the reroute");

        table.rerouteAll();
        vram.close();

        assertFalse(maps().contains(name), "/proc/self/maps still names the device memfd after reroute");
        a.segment().set(ValueLayout.JAVA_LONG, 0, 42);
        assertEquals(42, a.segment().get(ValueLayout.JAVA_LONG, 0));
        assertEquals(0, b.segment().get(ValueLayout.JAVA_LONG, 8), "untouched dummy reads zero");
    }

    @Test
    void shouldRerouteManyMappingsWithOneCallPerArena() {
        MemFd vram = vram("vram-many", 1024 * PAGE);
        MappingTable table = new MappingTable(DummyPolicy.ZERO_FILL, 1024 * PAGE);
        toClose.add(table);
        MappableRange bar = new MappableRange(vram, 0, vram.size());
        List<ClientMapping> all = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            MappingOwner owner = table.newOwner("client" + c);
            for (int i = 0; i < 250; i++) {
                all.add(owner.map(bar, (long) (c * 250 + i) * PAGE, PAGE));
            }
        }
        all.forEach(m -> m.segment().get(ValueLayout.JAVA_BYTE, 0)); // populate the pages

        long nanos = table.rerouteAll();
        RerouteReport report = table.lastReroute();

        assertEquals(4, report.arenaCalls(), "one mmap per client arena");
        assertEquals(4, report.mmapCalls());
        assertEquals(1000, report.toDummy());
        assertTrue(report.complete());
        assertEquals(nanos, report.totalNanos());
        for (ClientMapping m : all) {
            assertEquals(ClientMapping.Backing.DUMMY, m.backing());
            assertEquals(0, m.segment().get(ValueLayout.JAVA_LONG, 0));
            assertTrue(m.rerouteNanos() > 0);
        }
        System.out.printf("rerouted %d mappings of 4 clients in %.1f us%n", all.size(), nanos / 1e3);
    }

    @Test
    void shouldKeepTheDataOfAMappingReroutedToAHostCopy() throws Exception {
        MemFd vram = vram("vram-copy", 8 * PAGE);
        MemFd copy = MemFd.create("copy-" + unique++, 2 * PAGE);
        toClose.add(copy);
        MappingTable table = table(DummyPolicy.ZERO_FILL);
        MappingOwner owner = table.newOwner("client");
        MappableRange bar = new MappableRange(vram, 0, vram.size());
        ClientMapping before = owner.map(bar, 0, PAGE);
        ClientMapping kept = owner.map(bar, 2 * PAGE, 2 * PAGE);
        ClientMapping after = owner.map(bar, 4 * PAGE, PAGE);
        kept.segment().set(ValueLayout.JAVA_INT, 100, 0xC0FFEE);
        // the driver copies the BO out while the device still answers, then names the copy
        try (var c = copy.map()) {
            c.segment().copyFrom(kept.segment());
        }
        kept.rerouteToHostCopy(copy, 0);

        table.rerouteAll();
        vram.close();

        RerouteReport report = table.lastReroute();
        assertEquals(ClientMapping.Backing.HOST_COPY, kept.backing());
        assertEquals(0xC0FFEE, kept.segment().get(ValueLayout.JAVA_INT, 100));
        assertEquals(PATTERN, kept.segment().get(ValueLayout.JAVA_LONG, PAGE), "second page of the copy");
        assertEquals(0, before.segment().get(ValueLayout.JAVA_LONG, 0));
        assertEquals(0, after.segment().get(ValueLayout.JAVA_LONG, 0));
        assertEquals(1, report.toHostCopy());
        assertEquals(2, report.toDummy());
        assertEquals(2, report.arenaCalls(), "zero-fill around the host copy: before it and after it");
        kept.segment().set(ValueLayout.JAVA_INT, 0, 7);
        try (var c = copy.map()) {
            assertEquals(7, c.segment().get(ValueLayout.JAVA_INT, 0), "writes land in the host copy");
        }
    }

    @Test
    void shouldAliasWritesAcrossMappingsWithTheSharedPagePolicy() {
        MemFd vram = vram("vram-shared", 8 * PAGE);
        MappingTable table = table(DummyPolicy.SHARED_PAGE);
        MappingOwner owner = table.newOwner("client");
        ClientMapping a = owner.map(new MappableRange(vram, 0, vram.size()), 0, 2 * PAGE);
        ClientMapping b = owner.map(new MappableRange(vram, 0, vram.size()), 4 * PAGE, PAGE);

        table.rerouteAll();
        a.segment().set(ValueLayout.JAVA_INT, PAGE + 8, 1234);

        assertEquals(1234, b.segment().get(ValueLayout.JAVA_INT, 8), "one page backs every page");
        assertEquals(3, table.lastReroute().mmapCalls(), "one call per page");
    }

    @Test
    void shouldReturnAClosedMappingsRangeToTheArenaAsInaccessibleReservation() throws Exception {
        MemFd vram = vram("vram-close", 8 * PAGE);
        MappingTable table = table(DummyPolicy.ZERO_FILL);
        MappingOwner owner = table.newOwner("client");
        MappableRange bar = new MappableRange(vram, 0, vram.size());
        ClientMapping m = owner.map(bar, 0, 2 * PAGE);
        long address = m.address();

        m.close();
        ClientMapping again = owner.map(bar, 0, 2 * PAGE);

        assertEquals(ClientMapping.Backing.UNMAPPED, m.backing());
        assertEquals(address, again.address(), "first fit reuses the freed range");
        assertEquals(1, owner.arenaCount());
        assertEquals(List.of(again), table.mappings());
    }

    @Test
    void shouldGiveAMappingLargerThanTheArenaItsOwnArena() {
        MemFd vram = vram("vram-big", 128 * PAGE);
        MappingTable table = table(DummyPolicy.ZERO_FILL); // 64-page arenas
        MappingOwner owner = table.newOwner("client");

        ClientMapping big = owner.map(new MappableRange(vram, 0, vram.size()), 0, 128 * PAGE);
        owner.map(new MappableRange(vram, 0, vram.size()), 0, PAGE);
        table.rerouteAll();

        assertEquals(2, owner.arenaCount());
        assertEquals(2, table.lastReroute().arenaCalls());
        assertEquals(0, big.segment().get(ValueLayout.JAVA_LONG, 127 * PAGE));
    }

    @Test
    void shouldRejectAnUnalignedDeviceOffsetWithTheValue() {
        MemFd vram = vram("vram-align", 8 * PAGE);
        MappingOwner owner = table(DummyPolicy.ZERO_FILL).newOwner("client");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> owner.map(new MappableRange(vram, 0, vram.size()), 100, PAGE));
        assertTrue(e.getMessage().contains("0x64"), e.getMessage());
    }

    @Test
    void shouldLeaveNoDeviceMappingWhenMappingRacesWithTheReroute() throws Exception {
        MemFd vram = vram("vram-race", 256 * PAGE);
        MappingTable table = new MappingTable(DummyPolicy.ZERO_FILL, 1024 * PAGE);
        toClose.add(table);
        MappingOwner owner = table.newOwner("client");
        MappableRange bar = new MappableRange(vram, 0, vram.size());
        List<ClientMapping> made = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread mapper = Thread.ofPlatform().start(() -> {
            int i = 0;
            while (!stop.get()) {
                made.add(owner.map(bar, (i++ % 256) * PAGE, PAGE));
                if (made.size() > 800) {
                    made.remove(0).close();
                }
            }
        });
        while (made.size() < 100) {
            Thread.onSpinWait();
        }

        table.rerouteAll();
        stop.set(true);
        mapper.join();

        synchronized (made) {
            for (ClientMapping m : made) {
                assertNotEquals(ClientMapping.Backing.DEVICE, m.backing(), m.toString());
            }
        }
        vram.close();
        assertFalse(maps().contains(vram.name().substring("memfd:".length())), "no mapping of the device memory is left");
    }
}
