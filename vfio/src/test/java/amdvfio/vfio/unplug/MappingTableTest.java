package amdvfio.vfio.unplug;

import amdvfio.os.MemFd;
import amdvfio.os.Syscalls;
import amdvfio.vfio.MappableRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    MappingTable table(MemFd vram) {
        MappingTable t = new MappingTable(new MappableRange(vram, 0, vram.size()));
        toClose.add(t);
        return t;
    }

    static String nameOf(MemFd fd) {
        return fd.name().substring("memfd:".length());
    }

    /** Lines of /proc/self/maps (VMAs) that map {@code fd}. */
    static long vmasOf(MemFd fd) throws Exception {
        String name = nameOf(fd);
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(name)).count();
    }

    @Test
    void shouldRerouteWhileAReaderKeepsReadingAndSeeNoFault() throws Exception {
        MemFd vram = vram("vram", 32 * PAGE);
        MappingTable table = table(vram);
        ClientMapping m = table.newOwner("client").map(0, vram.size());
        MemorySegment seg = m.segment();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch readingDevice = new CountDownLatch(1);
        CountDownLatch readingDummy = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    for (long off = 0; off < seg.byteSize(); off += 512) {
                        long v = seg.get(ValueLayout.JAVA_LONG, off);
                        if (v == PATTERN) {
                            readingDevice.countDown();
                        } else if (v == 0) {
                            readingDummy.countDown();
                        } else {
                            throw new AssertionError("read 0x" + Long.toHexString(v) + " at +" + off);
                        }
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
                readingDevice.countDown();
                readingDummy.countDown();
            }
        });
        assertTrue(readingDevice.await(10, TimeUnit.SECONDS), "the reader never saw the device memory");

        table.rerouteAll();
        boolean sawDummy = readingDummy.await(10, TimeUnit.SECONDS);
        stop.set(true);
        reader.join();

        assertNull(failure.get(), () -> "reader failed: " + failure.get());
        assertTrue(sawDummy, "the reader saw the dummy memory after the reroute");
        assertEquals(ClientMapping.Backing.SHADOW, m.backing());
        assertEquals(0, seg.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void shouldKeepEachClientsViewOfDeviceMemoryInOneVmaWhateverTheNumberOfMappings() throws Exception {
        MemFd vram = vram("vram-many", 2048 * PAGE);
        MappingTable table = table(vram);
        List<ClientMapping> all = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            MappingOwner owner = table.newOwner("client" + c);
            for (int i = 0; i < 250; i++) {
                // every other page: per-buffer mappings of these could never merge into one VMA
                all.add(owner.map(2L * (c * 250 + i) * PAGE, PAGE));
            }
        }
        all.forEach(m -> m.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1)); // populate the pages

        assertEquals(4, vmasOf(vram), "one VMA per client");
        long nanos = table.rerouteAll();
        RerouteReport report = table.lastReroute();

        assertEquals(4, report.mmapCalls(), "one mmap per client window");
        assertEquals(1000, report.mappings());
        assertTrue(report.complete(), report.toString());
        assertEquals(nanos, report.totalNanos());
        assertEquals(0, vmasOf(vram), "no window maps the device any more");
        for (ClientMapping m : all) {
            assertEquals(ClientMapping.Backing.SHADOW, m.backing());
            assertEquals(0, m.segment().get(ValueLayout.JAVA_LONG, 0));
        }
        for (RerouteReport.Entry e : report.entries()) {
            assertTrue(e.nanos() > 0 && e.errno() == 0 && e.rerouted(), e.toString());
        }
    }

    @Test
    void shouldShowTheBytesSavedIntoTheShadowAtTheBuffersOffsetAndDummyElsewhere() throws Exception {
        MemFd vram = vram("vram-saved", 8 * PAGE);
        MappingTable table = table(vram);
        MappingOwner owner = table.newOwner("client");
        ClientMapping unsaved = owner.map(0, PAGE);
        ClientMapping saved = owner.map(2 * PAGE, 2 * PAGE);
        saved.segment().set(ValueLayout.JAVA_INT, 100, 0xC0FFEE);
        // the driver copies the buffer into the shadow at its own offset while the device still answers
        try (var s = table.shadow().map(2 * PAGE, 2 * PAGE)) {
            s.segment().copyFrom(saved.segment());
        }

        table.rerouteAll();
        vram.close();

        assertEquals(0xC0FFEE, saved.segment().get(ValueLayout.JAVA_INT, 100));
        assertEquals(PATTERN, saved.segment().get(ValueLayout.JAVA_LONG, PAGE), "second page of the saved buffer");
        assertEquals(0, unsaved.segment().get(ValueLayout.JAVA_LONG, 0), "not saved: dummy memory");
        ClientMapping again = owner.map(2 * PAGE, 2 * PAGE);
        assertEquals(0xC0FFEE, again.segment().get(ValueLayout.JAVA_INT, 100), "a mapping made after the loss");
        saved.segment().set(ValueLayout.JAVA_INT, 0, 7);
        try (var s = table.shadow().map(2 * PAGE, PAGE)) {
            assertEquals(7, s.segment().get(ValueLayout.JAVA_INT, 0), "writes land in the shadow");
        }
    }

    @Test
    void shouldGiveDummyMemoryToMappingsAndWindowsMadeAfterTheLoss() throws Exception {
        MemFd vram = vram("vram-late", 8 * PAGE);
        MappingTable table = table(vram);
        MappingOwner early = table.newOwner("early");
        table.rerouteAll();

        ClientMapping late = early.map(PAGE, 2 * PAGE);
        MappingOwner lateOwner = table.newOwner("late");
        ClientMapping lateWindow = lateOwner.map(PAGE, PAGE);

        for (ClientMapping m : List.of(late, lateWindow)) {
            assertEquals(ClientMapping.Backing.SHADOW, m.backing());
            assertEquals(0, m.segment().get(ValueLayout.JAVA_LONG, 0), "dummy memory, not the device's 0x5A");
        }
        late.segment().set(ValueLayout.JAVA_INT, 4, 0xdeafbeef); // writes complete,
        assertEquals(0xdeafbeef, lateWindow.segment().get(ValueLayout.JAVA_INT, 4), "and the shadow is shared like VRAM");
        assertTrue(lateOwner.isRerouted());
        assertEquals(0, vmasOf(vram), "a window made after the loss never maps the device");
    }

    @Test
    void shouldLetTheDeviceFdCloseAfterRerouteWithNoMappingNamingIt() throws Exception {
        MemFd vram = vram("vram-release", 16 * PAGE);
        MappingTable table = table(vram);
        MappingOwner owner = table.newOwner("client");
        ClientMapping a = owner.map(0, 4 * PAGE);
        ClientMapping b = owner.map(8 * PAGE, 8 * PAGE);
        assertEquals(1, vmasOf(vram), "mapped before the reroute");

        table.rerouteAll();
        vram.close();

        assertEquals(0, vmasOf(vram), "/proc/self/maps still names the device memfd after reroute");
        a.segment().set(ValueLayout.JAVA_LONG, 0, 42);
        assertEquals(42, a.segment().get(ValueLayout.JAVA_LONG, 0));
        assertEquals(0, b.segment().get(ValueLayout.JAVA_LONG, 8), "untouched dummy reads zero");
    }

    @Test
    void shouldMakeEverySliceInaccessibleWhenTheOwnerCloses() {
        MemFd vram = vram("vram-close", 8 * PAGE);
        MappingTable table = table(vram);
        MappingOwner owner = table.newOwner("client");
        ClientMapping m = owner.map(0, 2 * PAGE);
        ClientMapping freed = owner.map(4 * PAGE, PAGE);
        freed.close();

        assertEquals(ClientMapping.Backing.UNMAPPED, freed.backing());
        assertEquals(List.of(m), table.mappings());
        owner.close();

        assertEquals(ClientMapping.Backing.UNMAPPED, m.backing());
        assertThrows(IllegalStateException.class, () -> m.segment().get(ValueLayout.JAVA_LONG, 0));
        assertThrows(IllegalStateException.class, () -> owner.map(0, PAGE));
        assertEquals(List.of(), table.mappings());
    }

    @Test
    void shouldRejectARangeOutsideTheWindowWithTheValues() {
        MemFd vram = vram("vram-range", 8 * PAGE);
        MappingOwner owner = table(vram).newOwner("client");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> owner.map(7 * PAGE, 2 * PAGE));
        assertTrue(e.getMessage().contains("0x7000") && e.getMessage().contains("0x8000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> owner.map(-PAGE, PAGE));
        assertThrows(IllegalArgumentException.class, () -> owner.map(0, 0));
    }

    @Test
    void shouldLeaveNoDeviceWindowWhenClientsOpenWhileTheLossHappens() throws Exception {
        MemFd vram = vram("vram-race", 256 * PAGE);
        MappingTable table = table(vram);
        List<MappingOwner> made = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch opening = new CountDownLatch(50);
        Thread opener = Thread.ofPlatform().start(() -> {
            int i = 0;
            while (!stop.get()) {
                MappingOwner o = table.newOwner("client-" + i++);
                o.map((i % 256) * PAGE, PAGE);
                made.add(o);
                if (made.size() > 64) {
                    made.remove(0).close();
                }
                opening.countDown();
            }
        });
        assertTrue(opening.await(10, TimeUnit.SECONDS));

        table.rerouteAll();
        stop.set(true);
        opener.join();

        synchronized (made) {
            for (MappingOwner o : made) {
                assertTrue(o.isRerouted(), o.toString());
            }
        }
        vram.close();
        assertEquals(0, vmasOf(vram), "no mapping of the device memory is left");
    }

    /**
     * The reroute runs once per device, interpreted or C1-compiled, never C2: "allocates nothing"
     * must hold there, not only after escape analysis. Eight clients, the 20th round measured.
     */
    @Test
    void shouldAllocateNothingToRerouteEightClientWindows() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        MemFd vram = vram("alloc", 64 * PAGE);
        long bytes = -1;
        for (int round = 0; round < 20; round++) { // early rounds load classes and make the thread-locals
            MappingTable table = new MappingTable(new MappableRange(vram, 0, vram.size()));
            for (int c = 0; c < 8; c++) {
                table.newOwner("client-" + c).map(c * PAGE, PAGE).segment().set(ValueLayout.JAVA_INT, 0, c);
            }
            long a0 = threads.getCurrentThreadAllocatedBytes();
            table.rerouteAll();
            bytes = threads.getCurrentThreadAllocatedBytes() - a0;
            assertTrue(table.lastReroute().complete(), table.lastReroute().toString());
            table.close();
        }
        assertEquals(0, bytes, "bytes allocated by one rerouteAll of 8 windows");
    }

    @Test
    void shouldReportTheErrnoOfAFailedRemapAndLeaveTheWindowAsItWas() {
        MemFd vram = vram("errno", 4 * PAGE);
        try (var m = vram.map()) {
            assertEquals(amdvfio.os.Errno.EBADF.number(), Remap.file(m.segment(), m.segment().byteSize(), -1, 0));
            assertEquals(PATTERN, m.segment().get(ValueLayout.JAVA_LONG, 0), "the mapping is untouched");
        }
    }

    @Test
    void shouldRefuseAnEmptyWindow() {
        assertThrows(IllegalArgumentException.class, () -> new MappingTable(null));
    }
}
