package amdvfio.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.Gpu;
import amdvfio.driver.Job;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.ExportedBuffer;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import amdvfio.driver.fence.FenceError;
import amdvfio.os.Mapping;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.kernel.KernelVfio;
import amdvfio.vfio.sysfs.Sysfs;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.LossReason;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hot-unplug scenarios against a real AMD GPU bound to vfio-pci, with real sysfs remove and
 * rescan (libdrm hotunplug_tests.c's mechanism). Runs only when {@code AMDVFIO_TEST_BDF} names
 * the device (e.g. {@code 0000:03:00.0}) and the process may write sysfs; skipped with the reason
 * otherwise. The card must be warm (SDMA firmware running, see SdmaBlock). A surprise removal
 * cannot be caused from software: pull the Thunderbolt cable during {@link #removalUnderLoad} by
 * hand to test it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealGpuHotUnplugTest {

    private static final Duration SYSFS = Duration.ofSeconds(30);
    private PciAddress bdf;
    private final Sysfs sysfs = new Sysfs();

    @BeforeEach
    void requireDevice() {
        String env = System.getenv("AMDVFIO_TEST_BDF");
        Assumptions.assumeTrue(env != null && !env.isBlank(),
                "AMDVFIO_TEST_BDF is not set: no real AMD GPU bound to vfio-pci to test hot-unplug on");
        bdf = PciAddress.parse(env.trim());
        Assumptions.assumeTrue(sysfs.exists(bdf), "AMDVFIO_TEST_BDF=" + bdf + " is not present in sysfs");
        sysfs.bindToVfio(bdf, SYSFS);
    }

    private Gpu open() {
        return Gpu.open(KernelVfio.open(bdf, sysfs));
    }

    /** echo 1 > remove from another thread (the write blocks until the driver releases the device). */
    private Thread removeAsync(AtomicReference<Throwable> failure) {
        return Thread.ofPlatform().start(() -> {
            try {
                sysfs.remove(bdf);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    private void rescanAndRebind() {
        sysfs.rescan();
        sysfs.awaitPresent(bdf, SYSFS);
        sysfs.bindToVfio(bdf, SYSFS);
    }

    private static void assertLost(Gpu g, GpuClient c, MemorySegment... maps) throws InterruptedException {
        assertTrue(g.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(30)), "early fini: " + g.teardownReport());
        assertTrue(g.teardownReport().failures().isEmpty(), g.teardownReport().failures().toString());
        for (MemorySegment m : maps) {
            m.set(ValueLayout.JAVA_INT, 0, 0xdeafbeef);
            assertEquals(0xdeafbeef, m.get(ValueLayout.JAVA_INT, 0));
        }
        assertThrows(DeviceLostException.class, () -> c.allocate(Domain.GTT, 4096));
        assertEquals(0, g.recoveries());
    }

    private void healthCheck() throws InterruptedException {
        try (Gpu g = open(); GpuClient c = g.openClient()) {
            BufferObject src = c.allocate(Domain.GTT, 1 << 16);
            BufferObject mid = c.allocate(Domain.VRAM, 1 << 16);
            BufferObject dst = c.allocate(Domain.GTT, 1 << 16);
            c.map(src).fill((byte) 0x5A);
            Fence f = c.submit(Job.builder().copy(src, 0, mid, 0, 1 << 16).copy(mid, 0, dst, 0, 1 << 16).build());
            assertTrue(c.await(f, Duration.ofSeconds(5)) && f.isSignaled(), f.toString());
            assertEquals((byte) 0x5A, c.map(dst).get(ValueLayout.JAVA_BYTE, 100));
        }
    }

    @Test
    void idleRemoveRescan() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Gpu g = open();
        try (GpuClient c = g.openClient()) {
            BufferObject vram = c.allocate(Domain.VRAM, 1 << 16);
            MemorySegment m = c.map(vram);
            m.set(ValueLayout.JAVA_INT, 4, 42);
            Thread remover = removeAsync(failure);
            assertLost(g, c, m);
            remover.join(SYSFS.toMillis());
            assertEquals(LossReason.REQ, g.lossReason());
            assertEquals(42, m.get(ValueLayout.JAVA_INT, 4), "VRAM saved on the orderly removal");
        } finally {
            g.close();
        }
        assertTrue(failure.get() == null, "" + failure.get());
        rescanAndRebind();
        healthCheck();
    }

    @Test
    void removalUnderLoad() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Gpu g = open();
        try (GpuClient c = g.openClient()) {
            BufferObject bo = c.allocate(Domain.GTT, 4096);
            AtomicReference<Fence> last = new AtomicReference<>();
            Thread loop = Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        last.set(c.submit(Job.builder().fill(bo, 0, 4096, (byte) 1).build()));
                    }
                } catch (DeviceLostException expected) {
                    // the loss
                }
            });
            Thread.sleep(200);
            Thread remover = removeAsync(failure);
            assertLost(g, c);
            loop.join(10_000);
            Fence f = last.get();
            assertNotNull(f);
            assertTrue(f.await(Duration.ofDays(1)), "the infinite wait on the last fence returns");
            assertTrue(f.isSignaled() || f.error() == FenceError.DEVICE_LOST, f.toString());
            remover.join(SYSFS.toMillis());
        } finally {
            g.close();
        }
        rescanAndRebind();
        healthCheck();
    }

    @Test
    void exportedGttBufferIsWritableAfterTeardown() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Gpu g = open();
        try (GpuClient c = g.openClient()) {
            BufferObject bo = c.allocate(Domain.GTT, 4096);
            try (ExportedBuffer e = c.exportBuffer(bo); Mapping shared = Mapping.map(e.fd(), 0, 4096)) {
                Thread remover = removeAsync(failure);
                assertLost(g, c, shared.segment());
                remover.join(SYSFS.toMillis());
            }
        } finally {
            g.close();
        }
        rescanAndRebind();
        healthCheck();
    }

    @Test
    void hotreplugLateclose() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Gpu g = open();
        GpuClient stale = g.openClient();
        MemorySegment m = stale.map(stale.allocate(Domain.VRAM, 1 << 16));
        Thread remover = removeAsync(failure);
        assertLost(g, stale, m);
        remover.join(SYSFS.toMillis());
        rescanAndRebind();
        healthCheck(); // while the stale handle is open
        stale.close();
        assertEquals(Lifecycle.State.RELEASED, g.state());
        healthCheck();
    }
}
