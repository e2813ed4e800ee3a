package amdvfio.bench.unplug;

import amdvfio.driver.Gpu;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.os.MemFd;
import amdvfio.os.Syscalls;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.MappingOwner;
import amdvfio.vfio.unplug.MappingTable;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steady-state measurements JMH is the wrong tool for, run once in their own JVM by
 * {@code bench/run} (with {@code -XX:NativeMemoryTracking=summary}) and written as ready-made
 * table rows (JSON) that {@code ResultsTable} renders after the JMH rows:
 * <ul>
 * <li>memory per mapping (vfio MappingTable) and per mapped VRAM BO (driver on the simulator) with
 * 1, 100 and 1000 objects: Java heap after full GC (MemoryMXBean), JVM native memory outside the
 * heap (NMT "committed" minus the Java heap), process RSS (/proc/self/status VmRSS);</li>
 * <li>the memory dummy mappings cost after a reroute while clients keep reading (must stay at the
 * shared zero page: no growth) and keep writing (bounded by the pages written), from
 * /proc/self/pagemap of the mapped range (private pages);</li>
 * <li>bytes allocated by one reroute (ThreadMXBean): MappingTable.rerouteAll and the Java
 * per-mapping loop, which must allocate nothing;</li>
 * <li>where REQ→released time goes ({@link UnplugBreakdown}).</li>
 * </ul>
 * Usage: {@code java -XX:NativeMemoryTracking=summary -cp benchmarks.jar amdvfio.bench.unplug.MemoryProbe <out.json> [--quick]
 * [--only footprint|reroute|allocation|breakdown]} (one section, to measure a change quickly)
 */
public final class MemoryProbe {

    private static final long PAGE = Syscalls.pageSize();
    private final ProbeRows rows = new ProbeRows();
    private final boolean quick;

    private MemoryProbe(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: MemoryProbe <out.json> [--quick] [--only footprint|reroute|allocation|breakdown]");
            System.exit(2);
        }
        List<String> a = Arrays.asList(args);
        MemoryProbe p = new MemoryProbe(a.contains("--quick"));
        int i = a.indexOf("--only");
        String only = i >= 0 && i + 1 < a.size() ? a.get(i + 1) : null;
        Snapshot.take(); // loads the MXBean and NMT machinery before the first "before"
        if (only == null || only.equals("footprint")) {
            p.mappingTableFootprint();
            p.driverBoFootprint();
        }
        if (only == null || only.equals("reroute")) {
            p.afterReroute();
        }
        if (only == null || only.equals("allocation")) {
            p.rerouteAllocation();
        }
        if (only == null || only.equals("breakdown")) {
            new UnplugBreakdown(p.rows, p.quick).run();
        }
        String json = p.rows.json();
        Files.writeString(Path.of(args[0]), json);
        System.out.print(json);
    }

    // ------------------------------------------------------------------ rows

    private void row(String area, String name, String params, double value, String unit, String target, Boolean met,
                     String note) {
        rows.add(area, name, params, value, unit, target, met, note);
    }

    // ------------------------------------------------------------------ footprint

    /**
     * Only n large enough that one object's share is above the JVM's and NMT's noise (KiB
     * granularity, GC timing) is shown: at n = 1 the difference of two snapshots is noise
     * (it once read −523 048 B/BO).
     */
    private static final int[] FOOTPRINT_N = {10_000};
    /** sizeof(struct vm_area_struct) on x86-64 Linux 6.x, rounded up to its slab object (vm_area_cachep). */
    private static final long VMA_BYTES = 256;

    private record Snapshot(long heap, long nativeNonHeap, long rss, long pageTables, long vmas) {
        static Snapshot take() throws Exception {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(20); // lets the concurrent phases of the collector finish; a measurement, not a handshake
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new Snapshot(heap, nmtNonHeapCommitted(), status("VmRSS"), status("VmPTE"),
                    Files.readAllLines(Path.of("/proc/self/maps")).size());
        }
    }

    /** Heap + JVM native + the kernel's share (page tables, VMAs) per object; process RSS growth in the note. */
    private void footprintRows(String what, String unitName, int n, Snapshot before, Snapshot after, String note) {
        double heap = (after.heap - before.heap) / (double) n;
        double nat = before.nativeNonHeap < 0 ? Double.NaN : (after.nativeNonHeap - before.nativeNonHeap) / (double) n;
        double pte = (after.pageTables - before.pageTables) / (double) n;
        double vma = (after.vmas - before.vmas) * VMA_BYTES / (double) n;
        double rss = (after.rss - before.rss) / (double) n;
        double total = heap + (Double.isNaN(nat) ? 0 : nat) + Math.max(0, pte) + Math.max(0, vma);
        // a negative sum means the JVM released more than the objects took: the figure is noise, not a result
        boolean measured = total > 0 && heap > 0;
        row("Memory", what + ": heap + JVM native + kernel (page tables, VMAs) per " + unitName, "n=" + n,
                measured ? total : Double.NaN, "B/" + unitName,
                measured ? "≤ 1024 B/" + unitName : "— (not judged: below the JVM's noise in this run, sum " + Math.round(total) + " B)",
                measured ? total <= 1024 : null,
                String.format(Locale.ROOT, "heap %.0f B, NMT non-heap %s B, page tables %.0f B, VMAs %+d (× %d B), "
                                + "process RSS %+.0f B per %s; %s", heap,
                        Double.isNaN(nat) ? "n/a" : String.format(Locale.ROOT, "%.0f", nat), pte, after.vmas - before.vmas,
                        VMA_BYTES, rss, unitName, note));
    }

    private void mappingTableFootprint() throws Exception {
        try (MemFd vram = MemFd.create("probe-vram", 2L * FOOTPRINT_N[FOOTPRINT_N.length - 1] * PAGE)) {
            MappableRange range = new MappableRange(vram, 0, vram.size());
            warmTable(range);
            for (int n : FOOTPRINT_N) {
                Snapshot before = Snapshot.take();
                MappingTable table = new MappingTable(range);
                MappingOwner owner = table.newOwner("client");
                List<ClientMapping> keep = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    keep.add(owner.map(2L * i * PAGE, PAGE));
                }
                Snapshot after = Snapshot.take();
                footprintRows("vfio MappingTable", "mapping", n, before, after,
                        "4 KiB mappings (slices of one client window), untouched");
                if (keep.size() != n) {
                    throw new AssertionError();
                }
                table.close();
            }
        }
    }

    private static void warmTable(MappableRange range) {
        MappingTable t = new MappingTable(range);
        t.newOwner("warm").map(0, PAGE);
        t.close();
    }

    private void driverBoFootprint() throws Exception {
        PciAddress at = PciAddress.parse("0000:03:00.0");
        try (SimBus bus = new SimBus()) {
            bus.plug(at, SimProfile.NAVI10, SimConfig.defaults().withStrict(false));
            Gpu gpu = Gpu.open(bus.open(at));
            try {
                GpuClient warm = gpu.openClient();
                warm.map(warm.allocate(Domain.VRAM, PAGE));
                warm.close();
                for (int n : FOOTPRINT_N) {
                    Snapshot before = Snapshot.take();
                    GpuClient client = gpu.openClient();
                    List<MemorySegment> keep = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        BufferObject bo = client.allocate(Domain.VRAM, PAGE);
                        MemorySegment m = client.map(bo);
                        m.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, i); // a page table entry, as a user's BO has
                        keep.add(m);
                    }
                    Snapshot after = Snapshot.take();
                    footprintRows("driver VRAM BO, mapped", "BO", n, before, after,
                            "4 KiB VRAM BOs on the simulated Navi10, one client, each mapped once and written; includes the client");
                    if (keep.size() != n) {
                        throw new AssertionError();
                    }
                    client.close();
                }
            } finally {
                gpu.close();
            }
        }
    }

    // ------------------------------------------------------------------ after reroute

    private void afterReroute() throws Exception {
        int count = quick ? 4 : 16;
        long length = 4L << 20;
        try (MemFd vram = MemFd.create("probe-vram", count * length)) {
            MappingTable table = new MappingTable(new MappableRange(vram, 0, vram.size()));
            MappingOwner owner = table.newOwner("client");
            List<ClientMapping> ms = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ClientMapping m = owner.map((count - 1L - i) * length, length);
                RerouteRig.touchWrite(m.segment(), length, PAGE, (byte) 1);
                ms.add(m);
            }
            long pages = count * length / PAGE;
            table.rerouteAll();
            long start = status("RssShmem");
            for (int pass = 0; pass < 3; pass++) {
                for (ClientMapping m : ms) {
                    RerouteRig.touchRead(m.segment(), length, PAGE);
                }
            }
            long afterRead = status("RssShmem");
            String shape = count + "x" + (length >> 20) + "M, one client window";
            row("Memory after reroute", "clients keep reading every page (3 passes)", shape, afterRead - start,
                    "B shadow memory growth", "≤ " + pages * PAGE + " B (one shadow page per page read, shared by all clients)",
                    afterRead - start <= pages * PAGE, String.format(Locale.ROOT,
                            "%d pages; a read of a hole in the shadow memfd allocates its page (shmem has no shared zero "
                                    + "page); freed with the table in late fini; process RssShmem %d→%d B", pages, start, afterRead));
            long written = pages / 4;
            long i = 0;
            outer:
            for (ClientMapping m : ms) {
                for (long off = 0; off < length; off += PAGE) {
                    if (i++ >= written) {
                        break outer;
                    }
                    m.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, off, (byte) 2);
                }
            }
            long afterWrite = status("RssShmem");
            row("Memory after reroute", "clients write " + written + " of " + pages + " pages already read", shape,
                    afterWrite - afterRead, "B shadow memory growth", "0 B (the pages exist)", afterWrite - afterRead <= 0,
                    String.format(Locale.ROOT, "process RssShmem %d→%d B", afterRead, afterWrite));
            table.close();
        }
    }

    /**
     * Pages in [lo, hi) that hold private memory of this process: present and exclusively mapped
     * (/proc/self/pagemap bits 63 and 56). The shared zero page and a shared memfd page mapped at
     * many addresses are present but not exclusive, so they do not count. Needs no privilege
     * (only the PFN field is hidden from unprivileged readers).
     */
    static long privatePages(long lo, long hi) throws IOException {
        long n = (hi - lo) / PAGE;
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (n * 8)).order(java.nio.ByteOrder.nativeOrder());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of("/proc/self/pagemap"))) {
            long pos = lo / PAGE * 8;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r <= 0) {
                    throw new IOException("short read of /proc/self/pagemap");
                }
            }
        }
        buf.flip();
        long count = 0;
        for (long i = 0; i < n; i++) {
            long e = buf.getLong();
            if ((e & (1L << 63)) != 0 && (e & (1L << 56)) != 0) {
                count++;
            }
        }
        return count;
    }

    private static long kb(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[1]) * 1024;
    }

    /** A field of /proc/self/status in bytes (VmRSS, RssAnon). */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return kb(line);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return -1;
    }

    /** NMT total committed minus the Java heap's, in bytes; -1 without -XX:NativeMemoryTracking. */
    static long nmtNonHeapCommitted() {
        try {
            String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher total = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(out);
            Matcher heap = Pattern.compile("Java Heap \\(reserved=\\d+KB, committed=(\\d+)KB").matcher(out);
            if (!total.find() || !heap.find()) {
                return -1;
            }
            return (Long.parseLong(total.group(1)) - Long.parseLong(heap.group(1))) * 1024;
        } catch (Exception e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ allocation of a reroute

    private void rerouteAllocation() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = 1000;
        try (MemFd vram = MemFd.create("probe-vram", 2L * n * PAGE)) {
            MappableRange range = new MappableRange(vram, 0, vram.size());
            for (int clients : new int[] {1, 8}) {
                long bytes = 0;
                for (int round = 0; round < 20; round++) { // early rounds warm class init, thread-locals and the JIT
                    MappingTable table = new MappingTable(range);
                    for (int c = 0; c < clients; c++) {
                        MappingOwner o = table.newOwner("client-" + c);
                        for (int i = 0; i < n / clients; i++) {
                            o.map(2L * i * PAGE, PAGE);
                        }
                    }
                    long a0 = threads.getCurrentThreadAllocatedBytes();
                    table.rerouteAll();
                    bytes = threads.getCurrentThreadAllocatedBytes() - a0;
                    table.close();
                }
                row("Allocation", "MappingTable.rerouteAll", n + " mappings, " + clients + " client(s)", bytes,
                        "B/reroute", "0 B", bytes == 0, "ThreadMXBean allocated bytes around the call, 20th round");
            }
        }
        try (RerouteRig rig = new RerouteRig(n + "x4K")) {
            long bytes = 0;
            for (int round = 0; round < 200; round++) { // until C2 compiled the loop (escape analysis)
                rig.arm(false);
                long a0 = threads.getCurrentThreadAllocatedBytes();
                rig.rerouteJava();
                bytes = threads.getCurrentThreadAllocatedBytes() - a0;
            }
            row("Allocation", "Java per-mapping reroute loop", n + "x4K", bytes, "B/reroute", "0 B", bytes == 0,
                    "ThreadMXBean allocated bytes around the loop, 200th round (C2-compiled)");
        }
    }
}
