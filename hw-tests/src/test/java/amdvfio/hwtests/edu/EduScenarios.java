package amdvfio.hwtests.edu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import amdvfio.hwtests.qemu.GuestScenario;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.Sysfs;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.MappingOwner;

/**
 * The VM tier's scenarios, run in the guest (real vfio-pci, legacy container/group path, Linux 6.1)
 * by {@code GuestScenarioRunner}, in this order in one boot: S1 S2 S3 S4 S5 S6 S7. S5 needs the
 * handle S4 left open; S6 needs the host to {@code device_del} / {@code device_add} over QMP when
 * it prints READY-FOR-DEVICE-DEL / DEVICE-GONE.
 */
public final class EduScenarios {

    public static final String BDF = "0000:01:00.0";
    static final Path DIR = Path.of("/sys/bus/pci/devices", BDF);

    private EduScenarios() {}

    /** What a hot-unplug scenario leaves open for the late-close scenario after it (IGT hotreplug-lateclose). */
    static final class OldHandle {
        final EduDevice edu;
        /** The client's one window on BAR0: its mapping is what references the device file. */
        final MappingOwner owner;
        final ClientMapping mapping;
        final ClientLoop client;

        OldHandle(EduDevice edu, MappingOwner owner, ClientMapping mapping, ClientLoop client) {
            this.edu = edu;
            this.owner = owner;
            this.mapping = mapping;
            this.client = client;
        }
    }

    static OldHandle old;

    static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    static boolean present() {
        return Files.isDirectory(DIR);
    }

    /** Waits until the device dir vanished; returns System.nanoTime() of the observation or -1 on timeout. */
    static long awaitGone(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (present()) {
            if (System.nanoTime() - deadline > 0) return -1;
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    static String driver() {
        try {
            return Files.readSymbolicLink(DIR.resolve("driver")).getFileName().toString();
        } catch (Exception e) {
            return null;
        }
    }

    /** After rescan/device_add: the device bound to vfio-pci again (new_id is sticky; Sysfs.bindToVfio otherwise). */
    static void awaitBoundAgain(String how, long timeoutMs) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMs * 1_000_000;
        while (!present()) {
            if (System.nanoTime() - deadline > 0) throw new IllegalStateException(BDF + " did not come back within " + timeoutMs + " ms (" + how + ")");
            Thread.sleep(5);
        }
        long appeared = System.nanoTime();
        Sysfs sysfs = new Sysfs();
        while (!"vfio-pci".equals(driver()) && System.nanoTime() - appeared < 2_000_000_000L) Thread.sleep(5);
        String d = driver();
        if (!"vfio-pci".equals(d)) {
            System.out.println("EDU " + how + ": device back with driver " + d + "; binding with Sysfs.bindToVfio");
            sysfs.bindToVfio(PciAddress.parse(BDF), Duration.ofSeconds(5));
        }
        System.out.printf("EDU %s: device back after %d ms, driver %s (new_id sticky: %s)%n", how, ms(t0, System.nanoTime()), driver(),
                "vfio-pci".equals(d));
    }

    /** A scenario that needs the device: if an earlier scenario failed and left it removed, rescan first. */
    static void ensurePresent(String tag) throws Exception {
        if (!present() || !"vfio-pci".equals(driver())) {
            System.out.println("EDU " + tag + ": device absent or unbound at start (an earlier scenario failed?): rescanning");
            Files.writeString(Path.of("/sys/bus/pci/rescan"), "1");
            awaitBoundAgain(tag + " recovery rescan", 10_000);
        }
    }

    /** Opens the device with a client (lifecycle reference + BAR0 client mapping + client thread). */
    static OldHandle openWithClient() throws Exception {
        EduDevice e = EduDevice.open(BDF);
        EduChecks.check(e.lifecycle.acquire(), "client reference refused");
        MappingOwner owner = e.mappings.newOwner("client");
        ClientMapping m = owner.map(0, 4096);
        EduChecks.check(m.backing() == ClientMapping.Backing.DEVICE, "client mapping not on the device: " + m);
        ClientLoop c = new ClientLoop(m);
        long until = System.nanoTime() + 5_000_000_000L;
        while (c.deviceReads.get() < 100 && System.nanoTime() < until) Thread.sleep(2);
        EduChecks.check(c.deviceReads.get() >= 100 && c.failure() == null, "client not reading the device: " + c.summary());
        return new OldHandle(e, owner, m, c);
    }

    /**
     * After the loss signal: the lifecycle must reach DETACHED (early fini ran: guard, reroute,
     * release), the removal must complete (sysfs dir gone), and the client must keep running on
     * dummy memory. Prints the REQ → release and REQ → gone times.
     */
    static void verifyOrderlyLoss(String tag, OldHandle h, long lossStartNanos, long goneTimeoutMs) throws Exception {
        EduDevice e = h.edu;
        long clientBefore = h.client.total();
        EduChecks.check(e.lifecycle.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(30)),
                tag + ": early fini did not finish within 30 s; REQ signals " + e.reqSignals + ", " + e.lifecycle.report());
        long gone = awaitGone(goneTimeoutMs);
        if (gone < 0) {
            System.out.println("REMOVAL-BLOCKED " + tag + ": " + BDF + " still present " + goneTimeoutMs + " ms after early fini released the device; "
                    + "client mapping backing=" + h.mapping.backing() + "; " + h.client.summary());
            // prove the cause and let the removal finish: unmap the client's window, which was the last reference
            long t0 = System.nanoTime();
            h.client.close();
            h.owner.close();
            long g = awaitGone(15_000);
            System.out.println("REMOVAL-AFTER-UNMAP " + tag + ": " + (g < 0 ? "still blocked" : "removal completed " + ms(t0, g)
                    + " ms after the client mapping was unmapped"));
            throw new IllegalStateException(tag + ": removal blocked: the device stayed present " + goneTimeoutMs
                    + " ms after release (a client mapping still references the device fd)");
        }
        long req = e.firstReqNanos();
        EduChecks.check(req > 0, tag + ": no REQ seen by the event loop (loss reason " + e.lifecycle.lossReason() + ")");
        System.out.printf("REQ-TIMING %s: loss-start->REQ %d ms, REQ->release (all fds closed) %d ms, REQ->sysfs-dir-gone-observed %d ms, REQ signals %d%n", tag,
                ms(lossStartNanos, req), ms(req, e.releasedNanos()), ms(req, gone), e.reqSignals.get());
        System.out.println("EDU " + tag + ": teardown " + e.lifecycle.report());
        EduChecks.check(e.lifecycle.lossReason() == amdvfio.vfio.unplug.LossReason.REQ, "loss reason " + e.lifecycle.lossReason());
        EduChecks.check(e.dev.isClosed(), "device not closed");
        java.util.List<String> vfioFds = vfioFds();
        System.out.println("EDU " + tag + ": vfio fds open after release: " + vfioFds);
        EduChecks.check(vfioFds.isEmpty(), "vfio descriptors still open after release: " + vfioFds);
        EduChecks.check(h.mapping.backing() == ClientMapping.Backing.SHADOW, "client mapping not rerouted: " + h.mapping);
        h.client.assertHealthy(clientBefore);
        long d0 = h.client.dummyReads.get();
        long until = System.nanoTime() + 2_000_000_000L;
        while (h.client.dummyReads.get() == d0 && System.nanoTime() < until) Thread.sleep(2);
        EduChecks.check(h.client.dummyReads.get() > d0, "client not running on dummy memory: " + h.client.summary());
        System.out.println("EDU " + tag + ": " + h.client.summary());
    }

    /** This process's descriptors that point at VFIO (/dev/vfio/*, the device's anon inode). */
    static java.util.List<String> vfioFds() throws java.io.IOException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("/dev/vfio") || target.contains("[vfio")) out.add(fd.getFileName() + "->" + target);
                } catch (java.io.IOException ignored) {
                    // closed while listing
                }
            }
        }
        return out;
    }

    /** IGT lateclose: with the re-plugged device already exercised, drop the stale handle; late fini must run. */
    static void lateClose(String tag, OldHandle h) throws Exception {
        long before = h.client.total();
        h.client.assertHealthy(before);
        h.client.close();
        EduChecks.check(h.client.failure() == null, "client thread failed: " + h.client.failure());
        System.out.println("EDU " + tag + ": old handle, final " + h.client.summary());
        EduChecks.check(h.edu.lifecycle.state() == Lifecycle.State.DETACHED, "old device not DETACHED: " + h.edu.lifecycle.state());
        h.owner.close(); // the window and its slice
        h.edu.lifecycle.release();
        EduChecks.check(h.edu.lifecycle.awaitState(Lifecycle.State.RELEASED, Duration.ofSeconds(5)), "late fini did not run");
        System.out.println("EDU " + tag + ": stale handle closed, old lifecycle RELEASED");
    }

    public static final class S1OpenRegisters implements GuestScenario {
        @Override
        public void run() throws Throwable {
            try (EduDevice e = EduDevice.open(BDF)) {
                EduChecks.openAndRegisters("s1", e);
            }
        }
    }

    public static final class S2Dma implements GuestScenario {
        @Override
        public void run() throws Throwable {
            try (EduDevice e = EduDevice.open(BDF)) {
                EduChecks.dma("s2", e);
            }
        }
    }

    public static final class S3Msi implements GuestScenario {
        @Override
        public void run() throws Throwable {
            try (EduDevice e = EduDevice.open(BDF)) {
                EduChecks.msi("s3", e);
            }
        }
    }

    /** sysfs remove from a thread while a client reads/writes a BAR0 client mapping. */
    public static final class S4SysfsRemove implements GuestScenario {
        @Override
        public void run() throws Throwable {
            OldHandle h = openWithClient();
            long[] removeDone = {-1};
            Throwable[] removeFailed = {null};
            long t0 = System.nanoTime();
            Thread remover = Thread.ofPlatform().daemon(true).name("sysfs-remove").start(() -> {
                try {
                    Files.writeString(DIR.resolve("remove"), "1");
                    removeDone[0] = System.nanoTime();
                } catch (Throwable t) {
                    removeFailed[0] = t;
                }
            });
            verifyOrderlyLoss("s4", h, t0, Long.getLong("amdvfio.test.goneTimeoutMs", 8000));
            remover.join(5000);
            EduChecks.check(removeFailed[0] == null, "remove write failed: " + removeFailed[0]);
            EduChecks.check(removeDone[0] > 0, "the remove write did not return");
            // the remove write returns when the kernel's removal is complete: the precise end point
            System.out.printf("REQ-TIMING s4: REQ->remove-write-returned %d ms (remove write took %d ms in all)%n",
                    ms(h.edu.firstReqNanos(), removeDone[0]), ms(t0, removeDone[0]));
            old = h;
        }
    }

    /** rescan, rebind, reopen and run 1–3 while the old handle is open; then close it (IGT hotreplug-lateclose). */
    public static final class S5ReplugLateClose implements GuestScenario {
        @Override
        public void run() throws Throwable {
            OldHandle h = old;
            old = null;
            Files.writeString(Path.of("/sys/bus/pci/rescan"), "1");
            awaitBoundAgain("s5 rescan", 10_000); // first: the scenarios after this one need the device back
            EduChecks.check(h != null, "S4 left no old handle");
            EduChecks.all("s5", BDF);
            lateClose("s5", h);
        }
    }

    /** QMP device_del (host) during DMA, then device_add: as S4 and S5. */
    public static final class S6QmpUnplugDuringDma implements GuestScenario {
        @Override
        public void run() throws Throwable {
            ensurePresent("s6");
            OldHandle h = openWithClient();
            EduDevice e = h.edu;
            long[] rounds = {0};
            long[] lostAt = {0};
            Throwable[] dmaFailure = {null};
            java.lang.foreign.MemorySegment[] keep = new java.lang.foreign.MemorySegment[1];
            amdvfio.os.Mapping src = amdvfio.os.Mapping.anonymous(4096);
            amdvfio.os.Mapping dst = amdvfio.os.Mapping.anonymous(4096);
            var ms = e.mapDma(src.segment());
            var md = e.mapDma(dst.segment());
            Thread dma = Thread.ofPlatform().daemon(true).name("edu-dma").start(() -> {
                try {
                    for (int r = 1; ; r++) {
                        if (!e.guard.enter()) {
                            lostAt[0] = r;
                            return;
                        }
                        try {
                            byte b = (byte) r;
                            src.segment().fill(b);
                            e.dmaToDevice(ms.iova(), 0, 1024, false);
                            e.dmaToRam(0, md.iova(), 1024, false);
                            byte got = dst.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1023);
                            if (got != b) throw new IllegalStateException("DMA round " + r + ": read " + got + " expected " + b);
                            rounds[0] = r;
                        } finally {
                            e.guard.exit();
                        }
                    }
                } catch (Throwable t) {
                    dmaFailure[0] = t;
                }
            });
            long until = System.nanoTime() + 10_000_000_000L;
            while (rounds[0] < 2 && dmaFailure[0] == null && System.nanoTime() < until) Thread.sleep(5);
            EduChecks.check(rounds[0] >= 2, "DMA loop not running: rounds " + rounds[0] + " failure " + dmaFailure[0]);
            long t0 = System.nanoTime();
            System.out.println("READY-FOR-DEVICE-DEL (DMA rounds so far " + rounds[0] + ")");
            verifyOrderlyLoss("s6", h, t0, 15_000);
            System.out.println("DEVICE-GONE");
            dma.join(5000);
            EduChecks.check(dmaFailure[0] == null, "DMA thread failed: " + dmaFailure[0]);
            EduChecks.check(!dma.isAlive() && lostAt[0] > 0, "DMA thread did not stop at the guard");
            System.out.printf("EDU s6: DMA loop ran %d verified rounds, stopped at the device guard (round %d)%n", rounds[0], lostAt[0]);
            src.close();
            dst.close();
            awaitBoundAgain("s6 device_add", 60_000);
            EduChecks.all("s6", BDF);
            lateClose("s6", h);
        }
    }

    /** A driver that ignores REQ: re-signalled every 10 s, removal blocked until it releases. */
    public static final class S7IgnoredReq implements GuestScenario {
        @Override
        public void run() throws Throwable {
            ensurePresent("s7");
            EduDevice e = EduDevice.open(BDF);
            e.ignoreRequests(true);
            long t0 = System.nanoTime();
            Throwable[] removeFailed = {null};
            Thread remover = Thread.ofPlatform().daemon(true).name("sysfs-remove").start(() -> {
                try {
                    Files.writeString(DIR.resolve("remove"), "1");
                } catch (Throwable t) {
                    removeFailed[0] = t;
                }
            });
            long deadline = t0 + 30_000_000_000L;
            while (e.reqSignals.get() < 2) {
                EduChecks.check(present(), "device vanished while held (after " + ms(t0, System.nanoTime()) + " ms)");
                EduChecks.check(System.nanoTime() < deadline, "fewer than 2 REQ signals in 30 s: " + e.reqSignals);
                Thread.sleep(20);
            }
            long interval = ms(e.firstReqNanos(), e.lastReqNanos());
            System.out.printf("EDU s7: REQ signals %d, first after %d ms, re-signalled after %d ms%n", e.reqSignals.get(), ms(t0, e.firstReqNanos()), interval);
            EduChecks.check(interval >= 9000, "re-signal interval " + interval + " ms, expected ~10 s");
            Thread.sleep(300);
            EduChecks.check(present(), "device vanished while still held");
            EduChecks.check(remover.isAlive(), "the remove write returned while the device was held");
            EduChecks.check(e.lifecycle.state() == Lifecycle.State.ACTIVE, "lifecycle " + e.lifecycle.state());
            long held = ms(t0, System.nanoTime());
            long r0 = System.nanoTime();
            e.close();
            long gone = awaitGone(5_000);
            EduChecks.check(gone > 0, "device still present 5 s after release");
            remover.join(5000);
            EduChecks.check(removeFailed[0] == null && !remover.isAlive(), "remove write: " + removeFailed[0]);
            System.out.printf("REQ-IGNORED s7: removal blocked for %d ms while held (%d REQ signals), completed %d ms after release%n",
                    held, e.reqSignals.get(), ms(r0, gone));
        }
    }
}
