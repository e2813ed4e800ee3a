package amdvfio.hwtests.edu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import amdvfio.os.Mapping;
import amdvfio.vfio.ConfigSpace;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.RegionInfo;

/**
 * The checks of scenarios 1–3, reusable on a re-plugged device (scenarios 5 and 6). Each prints
 * {@code EDU-CHECK <tag> <what> ...} lines the host-side tests assert on, and throws on failure.
 */
public final class EduChecks {

    private EduChecks() {}

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException(what);
    }

    static void out(String tag, String line) {
        System.out.println("EDU-CHECK " + tag + " " + line);
    }

    /** Scenario 1: region info, BAR0 mmap, ident and liveness, presence through config space. */
    public static void openAndRegisters(String tag, EduDevice e) {
        check(e.dev.backend().contains("legacy container/group"), "backend " + e.dev.backend());
        out(tag, "backend=" + e.dev.backend() + " regions=" + e.dev.regionCount());
        RegionInfo bar0 = e.dev.region(0);
        out(tag, "bar0 size=0x" + Long.toHexString(bar0.size()) + " offset=0x" + Long.toHexString(bar0.fdOffset())
                + " mmap=" + bar0.mappable() + " sparse=" + bar0.sparseAreas());
        check(bar0.size() == 1 << 20, "BAR0 is not 1 MiB: " + bar0);
        check(bar0.mappable() && bar0.canMap(0, bar0.size()), "BAR0 not mappable as a whole: " + bar0);
        RegionInfo cfg = e.dev.region(RegionInfo.CONFIG);
        out(tag, "config size=0x" + Long.toHexString(cfg.size()) + " offset=0x" + Long.toHexString(cfg.fdOffset()));
        for (IrqType t : IrqType.values()) {
            out(tag, "irq " + t + " " + e.dev.irqInfo(t));
        }
        check(e.dev.irqInfo(IrqType.MSI).count() >= 1, "no MSI vector");
        check(e.dev.irqInfo(IrqType.REQ).count() == 1, "no REQ index");
        out(tag, "bar0 mmio=" + e.bar0.getClass().getSimpleName());
        check(e.bar0.getClass().getSimpleName().equals("MappedMmio"), "BAR0 not mmap'd: " + e.bar0.getClass());
        int ident = e.ident();
        out(tag, String.format("ident=0x%08x", ident));
        check(ident == EduDevice.EDU_IDENT, String.format("ident 0x%08x != 0x%08x", ident, EduDevice.EDU_IDENT));
        for (int v : new int[] {0, 0x12345678, 0xdeadbeef, -1}) {
            int r = e.liveness(v);
            check(r == ~v, String.format("liveness(0x%08x) read 0x%08x, expected 0x%08x", v, r, ~v));
        }
        out(tag, "liveness ok (4 patterns, bitwise inverse)");
        ConfigSpace c = e.dev.config();
        out(tag, String.format("config vendor=0x%04x device=0x%04x command=0x%04x present=%s", c.vendorId(), c.read16(2), c.command(), c.isPresent()));
        check(e.dev.vendorId() == 0x1234 && e.dev.deviceId() == 0x11e8, "ids " + e.dev.vendorId() + ":" + e.dev.deviceId());
        check(c.isPresent(), "config says not present");
        check(c.isBusMaster(), "bus mastering off after setBusMaster(true)");
    }

    /** Scenario 2: DMA both ways through VFIO_IOMMU_MAP_DMA; DMA to an unmapped IOVA reaches nothing. */
    public static void dma(String tag, EduDevice e) throws Exception {
        int n = EduDevice.MAX_TRANSFER;
        try (Mapping src = Mapping.anonymous(4096); Mapping dst = Mapping.anonymous(4096); Mapping victim = Mapping.anonymous(4096)) {
            MemorySegment s = src.segment(), d = dst.segment(), v = victim.segment();
            for (int i = 0; i < 4096; i++) {
                s.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + 3));
                d.set(ValueLayout.JAVA_BYTE, i, (byte) 0x5A);
                v.set(ValueLayout.JAVA_BYTE, i, (byte) 0xC3);
            }
            DmaMapping ms = e.mapDma(s), md = e.mapDma(d), mv = e.mapDma(v);
            out(tag, String.format("dma iovas src=0x%x dst=0x%x victim=0x%x (below 2^28)", ms.iova(), md.iova(), mv.iova()));
            long t0 = System.nanoTime();
            e.dmaToDevice(ms.iova(), 0, n, false);
            e.dmaToRam(0, md.iova(), n, false);
            long ms2 = (System.nanoTime() - t0) / 1_000_000;
            for (int i = 0; i < n; i++) {
                byte want = (byte) (i * 7 + 3), got = d.get(ValueLayout.JAVA_BYTE, i);
                check(got == want, "DMA round trip: byte " + i + " is " + got + ", expected " + want);
            }
            check(d.get(ValueLayout.JAVA_BYTE, n) == 0x5A, "DMA wrote past its count");
            out(tag, "dma host->device->host " + n + " bytes verified both ways in " + ms2 + " ms");

            // the IOMMU refuses what is not mapped: unmap the victim, DMA to its old IOVA
            e.dev.dma().unmap(mv);
            long unmappedIova = mv.iova();
            e.dmaToRam(0, unmappedIova, n, false);
            for (int i = 0; i < 4096; i++) {
                check(v.get(ValueLayout.JAVA_BYTE, i) == (byte) 0xC3, "DMA to unmapped IOVA reached host memory at byte " + i);
            }
            // and one far from any mapping (still inside the 28-bit mask)
            long far = 0x0F00_0000L;
            e.dmaToRam(0, far, n, false);
            for (int i = 0; i < n; i++) {
                check(d.get(ValueLayout.JAVA_BYTE, i) == (byte) (i * 7 + 3), "DMA to unmapped IOVA corrupted the dst buffer at " + i);
                check(s.get(ValueLayout.JAVA_BYTE, i) == (byte) (i * 7 + 3), "DMA to unmapped IOVA corrupted the src buffer at " + i);
            }
            out(tag, String.format("dma to unmapped iovas 0x%x (just unmapped) and 0x%x refused: host memory untouched", unmappedIova, far));
            // the device still works after the IOMMU faults
            e.dmaToRam(0, md.iova(), 16, false);
            check(d.get(ValueLayout.JAVA_BYTE, 0) == (byte) 3, "device broken after IOMMU fault");
            e.dev.dma().unmap(ms);
            e.dev.dma().unmap(md);
            check(e.dev.dma().mappings().isEmpty(), "mappings left: " + e.dev.dma().mappings());
        }
    }

    /** Scenario 3: MSI raised by the device (register write and DMA completion) reaches the event loop. */
    public static void msi(String tag, EduDevice e) throws Exception {
        check(e.eventLoop().listensFor(IrqType.MSI), "event loop not routing MSI");
        out(tag, "event loop thread=" + e.eventLoop().threadName() + " listens REQ=" + e.eventLoop().listensFor(IrqType.REQ)
                + " ERR=" + e.eventLoop().listensFor(IrqType.ERR));
        long before = e.msiCount.get();
        int rounds = 5;
        long worstUs = 0;
        for (int i = 0; i < rounds; i++) {
            long want = e.msiCount.get() + 1;
            long t0 = System.nanoTime();
            e.raiseIrq(0x1 << i);
            awaitCount(e, want, Duration.ofSeconds(5), "MSI #" + (i + 1) + " (raise 0x" + Integer.toHexString(1 << i) + ")");
            worstUs = Math.max(worstUs, (System.nanoTime() - t0) / 1000);
            check((e.irqStatus() & (1 << i)) != 0, "irq status lost");
            e.ackIrq(1 << i);
        }
        check(e.irqStatus() == 0, "irq status not clear after ack: 0x" + Integer.toHexString(e.irqStatus()));
        out(tag, "msi " + rounds + " raised, " + (e.msiCount.get() - before) + " seen by the event loop, worst latency " + worstUs + " us");
        // DMA completion interrupt
        try (Mapping buf = Mapping.anonymous(4096)) {
            DmaMapping m = e.mapDma(buf.segment());
            long want = e.msiCount.get() + 1;
            e.dmaToDevice(m.iova(), 0, 64, true);
            awaitCount(e, want, Duration.ofSeconds(5), "DMA-completion MSI");
            check((e.irqStatus() & EduDevice.DMA_IRQ_STATUS) != 0, "DMA irq status 0x100 not set");
            e.ackIrq(EduDevice.DMA_IRQ_STATUS);
            e.dev.dma().unmap(m);
        }
        out(tag, "msi on DMA completion (status 0x100) seen by the event loop");
    }

    private static void awaitCount(EduDevice e, long want, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (e.msiCount.get() < want) {
            if (System.nanoTime() - deadline > 0) throw new IllegalStateException(what + " not delivered within " + within.toMillis() + " ms");
            Thread.sleep(0, 200_000);
        }
    }

    /** Scenarios 1–3 on a freshly opened device; closes it. */
    public static void all(String tag, String bdf) throws Exception {
        try (EduDevice e = EduDevice.open(bdf)) {
            openAndRegisters(tag, e);
            dma(tag, e);
            msi(tag, e);
        }
    }

    static boolean present(String bdf) {
        return Files.isDirectory(Path.of("/sys/bus/pci/devices", bdf));
    }
}
