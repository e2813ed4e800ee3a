package amdvfio.tools;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.IndirectBuffer;
import amdvfio.driver.Job;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The device checks every command shares: ring test, IB test, copy/fill verification per SDMA
 * engine, interrupt round trip. Each returns an {@link Item} (name, pass/fail, time, detail);
 * nothing throws for a wrong result — only for a lost device.
 */
final class Checks {

    static final Duration WAIT = Duration.ofSeconds(5);

    /** One checked item. */
    record Item(String name, boolean ok, long nanos, String detail) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("ok", ok);
            m.put("ms", Report.ms(nanos));
            m.put("detail", detail);
            return m;
        }
    }

    private Checks() {
    }

    /** A WRITE_LINEAR of one dword on {@code ring}, read back (amdgpu's sdma_v*_ring_test_ring). */
    static Item ringTest(GpuClient c, int ring) throws InterruptedException {
        long t0 = System.nanoTime();
        BufferObject bo = c.allocate(Domain.GTT, 4096);
        try {
            MemorySegment m = c.map(bo);
            m.set(ValueLayout.JAVA_INT, 0, 0xCAFEDEAD);
            Fence f = c.submit(Job.builder().writeDword(bo, 0, 0xDEADBEEF).onRing(ring).build());
            String why = awaitOk(c, f);
            int got = m.get(ValueLayout.JAVA_INT, 0);
            boolean ok = why == null && got == 0xDEADBEEF;
            return new Item("ring test sdma" + ring, ok, System.nanoTime() - t0,
                    ok ? "WRITE_LINEAR read back" : why != null ? why : String.format("read 0x%08x, expected 0xdeadbeef", got));
        } finally {
            c.free(bo);
        }
    }

    /** The same write from an indirect buffer (amdgpu's sdma_v*_ring_test_ib). */
    static Item ibTest(GpuClient c, int ring) throws InterruptedException {
        long t0 = System.nanoTime();
        BufferObject bo = c.allocate(Domain.GTT, 4096);
        try {
            MemorySegment m = c.map(bo);
            m.set(ValueLayout.JAVA_INT, 0, 0);
            IndirectBuffer ib = c.createIndirectBuffer(Job.builder().writeDword(bo, 0, 0x1B1B1B1B).build());
            Fence f = c.submit(Job.builder().indirect(ib).onRing(ring).build());
            String why = awaitOk(c, f);
            int got = m.get(ValueLayout.JAVA_INT, 0);
            boolean ok = why == null && got == 0x1B1B1B1B;
            c.free(ib.buffer());
            return new Item("IB test sdma" + ring, ok, System.nanoTime() - t0,
                    ok ? "indirect buffer ran" : why != null ? why : String.format("read 0x%08x, expected 0x1b1b1b1b", got));
        } finally {
            c.free(bo);
        }
    }

    /**
     * GTT → VRAM → GTT copy of random bytes, then a VRAM fill copied back, both compared byte for
     * byte, on {@code ring}, for {@code bytes}.
     */
    static List<Item> copyFill(GpuClient c, int ring, long bytes, long seed) throws InterruptedException {
        List<Item> out = new ArrayList<>();
        BufferObject src = c.allocate(Domain.GTT, bytes);
        BufferObject vram = c.allocate(Domain.VRAM, bytes);
        BufferObject back = c.allocate(Domain.GTT, bytes);
        try {
            MemorySegment s = c.map(src);
            MemorySegment b = c.map(back);
            byte[] data = new byte[(int) bytes];
            new SplittableRandom(seed).nextBytes(data);
            MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, 0, data.length);
            b.fill((byte) 0);
            long t0 = System.nanoTime();
            Fence f = c.submit(Job.builder().copy(src, 0, vram, 0, bytes).copy(vram, 0, back, 0, bytes).onRing(ring).build());
            String why = awaitOk(c, f);
            long mism = why == null ? s.mismatch(b) : -1;
            out.add(new Item("copy " + size(bytes) + " sdma" + ring, why == null && mism < 0, System.nanoTime() - t0,
                    why != null ? why : mism < 0 ? "GTT→VRAM→GTT matches" : "first wrong byte at offset " + mism));
            byte v = (byte) (0x5A ^ ring);
            t0 = System.nanoTime();
            f = c.submit(Job.builder().fill(vram, 0, bytes, v).copy(vram, 0, back, 0, bytes).onRing(ring).build());
            why = awaitOk(c, f);
            long wrong = why == null ? firstNot(b, v) : -1;
            out.add(new Item("fill " + size(bytes) + " sdma" + ring, why == null && wrong < 0, System.nanoTime() - t0,
                    why != null ? why : wrong < 0 ? String.format("VRAM reads 0x%02x throughout", v & 0xFF)
                            : "first wrong byte at offset " + wrong));
        } finally {
            c.free(src);
            c.free(vram);
            c.free(back);
        }
        return out;
    }

    /** The sweep: every engine, a few sizes (page, odd, 1 MiB, 4 MiB). */
    static List<Item> sweep(GpuClient c, int rings, long seed) throws InterruptedException {
        List<Item> out = new ArrayList<>();
        for (int r = 0; r < rings; r++) {
            for (long bytes : new long[] {4096, 4096 * 3 + 12, 1 << 20, 4 << 20}) {
                Cancellation.check();
                out.addAll(copyFill(c, r, bytes, seed + r * 31 + bytes));
            }
        }
        return out;
    }

    /** Submit → TRAP → IH → fence, {@code n} times on ring 0, waiting on the interrupt (not polling). */
    static Item interruptRoundTrip(GpuClient c, int n) throws InterruptedException {
        BufferObject bo = c.allocate(Domain.GTT, 4096);
        try {
            long[] lat = new long[n];
            for (int i = 0; i < n; i++) {
                Cancellation.check();
                long t0 = System.nanoTime();
                Fence f = c.submit(Job.builder().writeDword(bo, 0, i).build());
                String why = awaitOk(c, f);
                lat[i] = System.nanoTime() - t0;
                if (why != null) {
                    return new Item("interrupt round trip", false, lat[i], "round trip " + i + ": " + why);
                }
            }
            Arrays.sort(lat);
            long median = lat[n / 2];
            // The fallback poll runs every 500 ms: a median far below it means the interrupts arrived.
            boolean ok = median < 100_000_000L;
            return new Item("interrupt round trip", ok, median, String.format("%d fences, median %.1f µs, max %.1f µs%s", n,
                    median / 1e3, lat[n - 1] / 1e3, ok ? "" : " (the fallback poll, not the interrupt, completed them)"));
        } finally {
            c.free(bo);
        }
    }

    /** Null when the fence signalled in time, else what went wrong; a lost device throws. */
    static String awaitOk(GpuClient c, Fence f) throws InterruptedException {
        if (!c.await(f, WAIT)) {
            return "fence not signalled within " + WAIT.toSeconds() + " s";
        }
        if (f.error() != null) {
            if (f.error() == amdvfio.driver.fence.FenceError.DEVICE_LOST) {
                throw new DeviceLostException(f + ": the device was lost");
            }
            return "fence failed: " + f.error();
        }
        return null;
    }

    static long firstNot(MemorySegment m, byte v) {
        for (long i = 0; i < m.byteSize(); i++) {
            if (m.get(ValueLayout.JAVA_BYTE, i) != v) {
                return i;
            }
        }
        return -1;
    }

    static String size(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
