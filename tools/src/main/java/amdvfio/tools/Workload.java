package amdvfio.tools;

import amdvfio.driver.Gpu;
import amdvfio.driver.GpuException;
import amdvfio.driver.Job;
import amdvfio.driver.UnplugReport;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import amdvfio.driver.fence.FenceError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that keep a device busy while it is removed, as libdrm's hot-unplug tests do: each has
 * a GTT and a VRAM buffer with a known pattern, mapped, plus a thread that submits jobs in a
 * loop and waits on each fence. After the loss it records how its fences completed, whether its
 * mappings can still be read and written, and what became of each buffer's data.
 *
 * <p>Threading: one submitter thread per client; {@link #stop} joins them.
 */
final class Workload implements AutoCloseable {

    /** What the submitters run. */
    enum Kind {
        COPY, FILL, MIXED, IDLE;

        static Kind parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    static final long DATA_BYTES = 64 << 10;

    /** One client and its counters. */
    static final class Client {
        final int id;
        final GpuClient client;
        final BufferObject gtt;
        final BufferObject vram;
        final BufferObject workSrc;
        final BufferObject workDst;
        final MemorySegment gttMap;
        final MemorySegment vramMap;
        final byte gttPattern;
        final byte vramPattern;
        final AtomicLong signaled = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong otherErrors = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        volatile Fence last;
        volatile String failure;
        Thread thread;
        // after the loss
        boolean lastFenceCompleted;
        String lastFenceError;
        boolean mappingsUsable;
        String gttFate;
        String vramFate;
        String gttDriverFate;
        String vramDriverFate;

        Client(int id, Gpu gpu) throws InterruptedException {
            this.id = id;
            this.client = gpu.openClient();
            gtt = client.allocate(Domain.GTT, DATA_BYTES);
            vram = client.allocate(Domain.VRAM, DATA_BYTES);
            workSrc = client.allocate(Domain.GTT, DATA_BYTES);
            workDst = client.allocate(Domain.VRAM, DATA_BYTES);
            gttMap = client.map(gtt);
            vramMap = client.map(vram);
            gttPattern = (byte) (0x10 + id);
            vramPattern = (byte) (0x80 + id);
            gttMap.fill(gttPattern);
            // The VRAM pattern is written by the GPU, so the data fate is the device's.
            Fence f = client.submit(Job.builder().fill(vram, 0, DATA_BYTES, vramPattern).build());
            String why = Checks.awaitOk(client, f);
            if (why != null || Checks.firstNot(vramMap, vramPattern) >= 0) {
                throw new CommandFailure(ExitCodes.VERIFICATION_FAILED, "client " + id + ": the VRAM fill did not land ("
                        + (why == null ? "wrong bytes" : why) + ")");
            }
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client", id);
            m.put("fencesSignaled", signaled.get());
            m.put("fencesDeviceLost", lost.get());
            m.put("fencesOtherError", otherErrors.get());
            m.put("submitsRefused", refused.get());
            m.put("lastFenceCompleted", lastFenceCompleted);
            m.put("lastFenceError", lastFenceError);
            m.put("mappingsReadWriteAfterLoss", mappingsUsable);
            List<Map<String, Object>> bos = new ArrayList<>();
            bos.add(Map.of("buffer", "client" + id + ".gtt", "domain", "GTT", "bytes", DATA_BYTES,
                    "driverFate", String.valueOf(gttDriverFate), "contentAfterLoss", String.valueOf(gttFate)));
            bos.add(Map.of("buffer", "client" + id + ".vram", "domain", "VRAM", "bytes", DATA_BYTES,
                    "driverFate", String.valueOf(vramDriverFate), "contentAfterLoss", String.valueOf(vramFate)));
            m.put("buffers", bos);
            if (failure != null) {
                m.put("failure", failure);
            }
            return m;
        }
    }

    final List<Client> clients = new ArrayList<>();
    private final Kind kind;
    private final int rings;
    private volatile boolean stop;

    Workload(Gpu gpu, int clientCount, Kind kind, long seed) throws InterruptedException {
        this.kind = kind;
        this.rings = gpu.ringCount();
        try {
            for (int i = 0; i < clientCount; i++) {
                clients.add(new Client(i, gpu));
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        for (Client c : clients) {
            SplittableRandom rnd = new SplittableRandom(seed + c.id);
            c.thread = Thread.ofPlatform().daemon().name("client-" + c.id).start(() -> loop(c, rnd));
        }
    }

    private void loop(Client c, SplittableRandom rnd) {
        if (kind == Kind.IDLE) {
            return;
        }
        while (!stop) {
            try {
                Job.Builder b = Job.builder().onRing(c.id % rings);
                long n = 4096L * (1 + rnd.nextInt(16));
                boolean copy = kind == Kind.COPY || kind == Kind.MIXED && rnd.nextBoolean();
                if (copy) {
                    b.copy(c.workSrc, 0, c.workDst, 0, n);
                } else {
                    b.fill(c.workDst, 0, n, (byte) rnd.nextInt(256));
                }
                Fence f = c.client.submit(b.build());
                c.last = f;
                if (!f.await(Duration.ofSeconds(30))) {
                    c.failure = f + " did not complete in 30 s";
                    return;
                }
                FenceError e = f.error();
                if (e == null) {
                    c.signaled.incrementAndGet();
                } else if (e == FenceError.DEVICE_LOST) {
                    c.lost.incrementAndGet();
                    Thread.sleep(1); // the device is gone: keep trying, as an application would, but gently
                } else {
                    c.otherErrors.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (GpuException e) {
                c.refused.incrementAndGet();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Waits until every submitter has completed at least one job (so the removal hits a busy device). */
    void awaitBusy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Client c : clients) {
            while (kind != Kind.IDLE && c.signaled.get() == 0 && c.failure == null) {
                if (System.nanoTime() - deadline > 0) {
                    throw new CommandFailure(ExitCodes.VERIFICATION_FAILED, "client " + c.id + " completed no job within "
                            + timeout.toMillis() + " ms");
                }
                Cancellation.sleep(1);
            }
        }
    }

    /** Stops the submitters and waits for them. Idempotent. */
    void stop() {
        stop = true;
        for (Client c : clients) {
            if (c.thread != null) {
                c.thread.interrupt();
                try {
                    c.thread.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Total fences completed with DEVICE_LOST, over clients. */
    long fencesLost() {
        return clients.stream().mapToLong(c -> c.lost.get()).sum();
    }

    long fencesSignaled() {
        return clients.stream().mapToLong(c -> c.signaled.get()).sum();
    }

    /**
     * After the loss: each client's last fence must be complete, its mappings must take reads and
     * writes, and each buffer's data is classified (kept, zeroed, all ones, changed).
     */
    void inspectAfterLoss(UnplugReport report) {
        for (Client c : clients) {
            c.gttDriverFate = driverFate(report, c.gtt);
            c.vramDriverFate = driverFate(report, c.vram);
            Fence f = c.last;
            c.lastFenceCompleted = f == null || f.isComplete();
            c.lastFenceError = f == null || f.error() == null ? null : f.error().name();
            c.gttFate = fate(c.gttMap, c.gttPattern);
            c.vramFate = fate(c.vramMap, c.vramPattern);
            // Reads and writes must complete (undefined content for device memory, never a fault).
            c.gttMap.set(ValueLayout.JAVA_INT, 0, 0xDEAFBEEF);
            c.vramMap.set(ValueLayout.JAVA_INT, 0, 0xDEAFBEEF);
            c.mappingsUsable = c.gttMap.get(ValueLayout.JAVA_INT, 0) == 0xDEAFBEEF;
            c.vramMap.get(ValueLayout.JAVA_INT, 4);
        }
    }

    /** The driver's word on a buffer (SAVED, DUMMY, KEPT), or "-" if it does not list it. */
    static String driverFate(UnplugReport report, BufferObject bo) {
        return report.buffers().stream().filter(b -> b.gpuAddress() == bo.gpuAddress() && b.domain() == bo.domain())
                .map(b -> b.fate().name()).findFirst().orElse("-");
    }

    static String fate(MemorySegment m, byte pattern) {
        if (Checks.firstNot(m, pattern) < 0) {
            return "kept";
        }
        if (Checks.firstNot(m, (byte) 0) < 0) {
            return "lost (zero-filled)";
        }
        if (Checks.firstNot(m, (byte) 0xFF) < 0) {
            return "lost (reads all ones)";
        }
        return "changed";
    }

    /** Closes every client (late fini follows once the GPU is closed). Idempotent. */
    @Override
    public void close() {
        stop();
        for (Client c : clients) {
            c.client.close();
        }
    }
}
