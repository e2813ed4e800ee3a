package amdvfio.tools;

import amdvfio.driver.BufferFate;
import amdvfio.driver.DeviceLostException;
import amdvfio.driver.Job;
import amdvfio.driver.UnplugReport;
import amdvfio.driver.boot.BootReport;
import amdvfio.driver.firmware.FirmwareDirectory;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.TeardownReport;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code amdvfio demo}: the whole hot-unplug story on one device (the simulated Navi10 unless
 * told otherwise): probe, verify every SDMA engine, start clients, remove the device, show the
 * clients surviving it, release, re-plug, and the new device working — as a timeline.
 * Read this class first, then follow the calls into {@code driver}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show the hot-unplug story as a timeline (simulated Navi10 by default).",
                "Probe, verify every SDMA engine,",
                "clients with mappings and a submission loop, removal (orderly, --surprise or --aer), clients",
                "still using their mappings, fences completing with DEVICE_LOST, release, re-plug, new device working.",
                "Runs on the simulated Navi10 unless given --sim ASIC or a PCI address."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--surprise", description = "Pull the cable instead of an orderly removal (simulator).")
    boolean surprise;

    @Option(names = "--aer", description = "A fatal AER error instead of an orderly removal (simulator).")
    boolean aer;

    @Option(names = "--clients", defaultValue = "3", description = "Clients to start. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--json", description = "Print one JSON document instead of the timeline.")
    boolean json;

    // The run's state, one field per actor of the story.
    private Testbench tb;
    private Testbench.Removal how;
    private Timeline tl;
    private final Map<String, Object> doc = new LinkedHashMap<>();
    private Session s;
    private Workload w;

    /** The story, phase by phase, as the timeline prints it. */
    @Override
    public Integer call() throws Exception {
        how = checkedRemoval();
        try (Testbench bench = device.open(spec, "navi10")) {
            tb = bench;
            begin();
            Leaks baseline = Leaks.now();
            try {
                probe();
                verifyEveryEngine();
                startClients();
                long removedAt = remove();
                LossWatch.Event loss = awaitLossSignal(removedAt);
                UnplugReport rep = awaitEarlyFiniAndRelease(loss);
                fencesCompleteWithDeviceLost();
                clientsStillUseTheirMappings(rep, loss);
                lastClientClosedLateFini();
                replug();
                newDeviceWorks();
                leakCheck(baseline);
            } finally {
                closeWhatIsStillOpen();
            }
            return conclude();
        }
    }

    private Testbench.Removal checkedRemoval() {
        if (surprise && aer) {
            throw new CommandLine.ParameterException(spec.commandLine(), "choose --surprise or --aer, not both");
        }
        if (clients < 1 || clients > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--clients must be between 1 and 64, not " + clients);
        }
        return surprise ? Testbench.Removal.SURPRISE : aer ? Testbench.Removal.AER : Testbench.Removal.ORDERLY;
    }

    private void begin() {
        if (tb instanceof HostTestbench h) {
            h.checkControllable(false, true);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf("amdvfio demo: %s, %s removal%n%n", tb.describe(), how.name().toLowerCase());
        }
        tl = new Timeline(out, json);
        doc.put("device", tb.describe());
        doc.put("removal", how.name().toLowerCase());
    }

    /** Open the device; Gpu.open is the driver's probe, with ring and IB tests. */
    private void probe() {
        tl.begin();
        s = Session.open(tb);
        long vram = s.device.region(0).size() >> 20;
        BootReport boot = s.gpu.bootReport();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s, %d MiB VRAM (BAR0 %d MiB), %d SDMA engine(s); ring and IB tests passed",
                s.gpu.profile(), vram, vram, s.gpu.ringCount()));
        lines.add("card: " + BootSummary.line(boot));
        BootSummary.stepLines(boot).forEach(l -> lines.add("  " + l));
        coldBootHint(boot).ifPresent(lines::add);
        tl.end("probe", String.join("\n", lines));
        doc.put("asic", s.gpu.profile().name());
        doc.put("boot", BootSummary.json(boot));
    }

    /**
     * On the simulator a card starts cold only where the real firmware files are there to check
     * its boot against; without them it starts warm, and one line says how to see the cold boot.
     */
    private Optional<String> coldBootHint(BootReport boot) {
        if (!tb.simulated() || BootSummary.booted(boot)) {
            return Optional.empty();
        }
        return Optional.of("(the simulated card started warm: no firmware files in " + tb.cardPolicy().firmware().path()
                + "; install firmware-amd-graphics (Debian bookworm-backports, non-free-firmware)"
                + ", set " + FirmwareDirectory.ENV + " or give --firmware-dir to see the cold boot)");
    }

    /** A 1 MiB copy and fill through every SDMA engine, checked byte for byte. */
    private void verifyEveryEngine() throws InterruptedException {
        tl.begin();
        List<Checks.Item> items = new ArrayList<>();
        try (GpuClient c = s.gpu.openClient()) {
            for (int r = 0; r < s.gpu.ringCount(); r++) {
                items.addAll(Checks.copyFill(c, r, 1 << 20, 42 + r));
            }
        }
        tl.end("verify engines", items.stream().map(i -> i.name() + (i.ok() ? " ok" : " WRONG: " + i.detail()))
                .collect(Collectors.joining(", ")), items.stream().allMatch(Checks.Item::ok));
        doc.put("verification", items.stream().map(Checks.Item::json).toList());
    }

    /** Clients with mapped buffers and a submission loop: the load the removal lands on. */
    private void startClients() throws InterruptedException {
        tl.begin();
        w = new Workload(s.gpu, clients, Workload.Kind.MIXED, 7);
        w.awaitBusy(Duration.ofSeconds(2));
        Cancellation.sleep(100);
        tl.end("clients", String.format("%d clients, each a 64 KiB GTT and a 64 KiB VRAM buffer mapped, "
                + "submitting copies and fills; %d fences signalled so far", clients, w.fencesSignaled()));
    }

    /** The removal itself; returns when it was made. */
    private long remove() {
        tl.begin();
        long t0 = System.nanoTime();
        tb.remove(how);
        tl.end("remove", switch (how) {
            case ORDERLY -> tb.simulated() ? "orderly removal (what 'echo 1 > remove' does): the device keeps answering"
                    : "wrote 1 to /sys/bus/pci/devices/" + tb.address() + "/remove";
            case SURPRISE -> "surprise removal: the cable is pulled, every read answers all ones";
            case AER -> "fatal AER error: the link is down";
            case UNBIND -> "unbind";
        });
        return t0;
    }

    /** The driver notices: REQ, ERR or its own presence check. */
    private LossWatch.Event awaitLossSignal(long removedAt) {
        LossWatch.Event ev = s.watch.await(Cycle.LOSS_TIMEOUT);
        if (ev == null) {
            tl.add("loss signal", System.nanoTime() - tl.start(), System.nanoTime() - removedAt,
                    "no REQ, ERR or surprise signal within 5 s", false);
            throw new CommandFailure(ExitCodes.FAILURE, "the removal was not noticed within 5 s");
        }
        tl.add("loss signal", ev.atNanos() - tl.start(), ev.atNanos() - removedAt, switch (ev.reason()) {
            case REQ -> "VFIO REQ eventfd: the kernel asks for the device back";
            case ERR_FATAL -> "VFIO ERR eventfd: fatal AER";
            case SURPRISE -> "config vendor id reads 0xFFFF: the device is gone";
            case CLOSE -> "closed";
        }, true);
        return ev;
    }

    /** The driver tears down by itself; its lifecycle report is the timeline of early fini and the release. */
    private UnplugReport awaitEarlyFiniAndRelease(LossWatch.Event ev) throws InterruptedException {
        if (!s.awaitDetached(Cycle.LOSS_TIMEOUT)) {
            tl.add("early fini", System.nanoTime() - tl.start(), System.nanoTime() - ev.atNanos(),
                    "did not finish within 5 s", false);
            throw new CommandFailure(ExitCodes.FAILURE, "the driver's early fini did not finish within 5 s");
        }
        UnplugReport rep = s.gpu.unplugReport();
        TeardownReport td = rep.teardown();
        long detachedAt = ev.atNanos() + td.enteredAfterTrigger(Lifecycle.State.DETACHED) - tl.start();
        String steps = td.steps().stream().filter(x -> x.phase() == TeardownReport.Phase.EARLY_FINI)
                .map(x -> x.name() + " " + Report.time(x.nanos()) + (x.failed() ? " FAILED" : ""))
                .collect(Collectors.joining(", "));
        tl.add("early fini", detachedAt, td.nanosIn(Lifecycle.State.UNPLUGGING), steps, td.failures().isEmpty());
        tl.add("release", detachedAt, 0, "device handle closed (DETACHED): the kernel's removal completes "
                + Report.time(td.enteredAfterTrigger(Lifecycle.State.DETACHED)) + " after the signal; clients live on: "
                + yes(s.released()), s.released());
        return rep;
    }

    /** Every client's outstanding fence completed with DEVICE_LOST; a new submission fails at once. */
    private void fencesCompleteWithDeviceLost() {
        tl.begin();
        w.stop();
        w.inspectAfterLoss(s.gpu.unplugReport());
        boolean fencesDone = w.clients.stream().allMatch(c -> c.lastFenceCompleted);
        boolean failsFast;
        try {
            Workload.Client c0 = w.clients.get(0);
            Fence after = c0.client.submit(Job.builder().fill(c0.workDst, 0, 4096, (byte) 1).build());
            failsFast = after.isComplete() && after.error() != null;
        } catch (DeviceLostException expected) {
            failsFast = true;
        }
        tl.end("fences", String.format("%d fences completed with DEVICE_LOST (ENODEV), %d signalled before; "
                        + "every client's last fence completed: %s; a new submission fails at once: %s",
                w.fencesLost(), w.fencesSignaled(), yes(fencesDone), yes(failsFast)), fencesDone && failsFast);
    }

    /** The clients' mappings still read and write; what the driver did with each buffer. */
    private void clientsStillUseTheirMappings(UnplugReport rep, LossWatch.Event ev) {
        tl.begin();
        boolean mappingsOk = w.clients.stream().allMatch(c -> c.mappingsUsable);
        boolean gttKept = w.clients.stream().allMatch(c -> "kept".equals(c.gttFate));
        Workload.Client c0 = w.clients.get(0);
        tl.end("mappings", String.format("clients still read and write their mappings: %s%n"
                        + "GTT buffers: %s (content %s); VRAM buffers: %s (content %s)%n"
                        + "driver: %d VRAM buffer(s) saved into the shadow, %d read dummy memory, %d GTT kept; reroute %s",
                yes(mappingsOk), c0.gttDriverFate, gttKept ? "kept" : "LOST", c0.vramDriverFate, c0.vramFate,
                rep.count(BufferFate.Fate.SAVED), rep.count(BufferFate.Fate.DUMMY), rep.count(BufferFate.Fate.KEPT),
                rep.reroute() == null ? "-" : Report.time(rep.reroute().totalNanos())), mappingsOk && gttKept);
        doc.put("clients", w.clients.stream().map(Workload.Client::json).toList());
        doc.put("teardown", teardownJson(rep, ev));
    }

    /** The last client closes: late fini frees ring memory, buffers and mappings. */
    private void lastClientClosedLateFini() throws InterruptedException {
        tl.begin();
        w.close();
        w = null;
        s.close();
        boolean lateFini = s.gpu.awaitState(Lifecycle.State.RELEASED, Cycle.LOSS_TIMEOUT);
        String sim = tb instanceof SimTestbench st && st.control().requestToRelease() != null
                ? String.format("; the simulator measured %s from the loss to the release",
                Report.time(st.control().requestToRelease().toNanos())) : "";
        tl.end("late fini", "last client closed → late fini (ring memory, buffers, mappings freed): " + yes(lateFini) + sim,
                lateFini);
    }

    private void replug() {
        tl.begin();
        tb.bringBack(Cycle.BACK_TIMEOUT);
        tl.end("re-plug", tb.simulated() ? "a fresh card in the same slot (new VRAM, reset registers)"
                : "rescan, bound to vfio-pci again");
    }

    /** The device that came back is a new Gpu: probe, ring test and copy/fill on every engine. */
    private void newDeviceWorks() throws InterruptedException {
        tl.begin();
        List<Checks.Item> health = new ArrayList<>();
        String boot;
        try (Session s2 = Session.open(tb); GpuClient c = s2.gpu.openClient()) {
            boot = BootSummary.line(s2.gpu.bootReport());
            doc.put("bootAfterReplug", BootSummary.json(s2.gpu.bootReport()));
            for (int r = 0; r < s2.gpu.ringCount(); r++) {
                health.add(Checks.ringTest(c, r));
                health.addAll(Checks.copyFill(c, r, 1 << 20, 99 + r));
            }
        }
        boolean healthy = health.stream().allMatch(Checks.Item::ok);
        tl.end("new device", "probed as a new Gpu (" + boot + "); ring test and 1 MiB copy/fill on every engine: "
                + (healthy ? "passed" : "FAILED"), healthy);
        doc.put("newDeviceChecks", health.stream().map(Checks.Item::json).toList());
    }

    /** Descriptors, threads, mappings and device handles back where they were before the demo. */
    private void leakCheck(Leaks baseline) {
        tl.begin();
        String leak = Leaks.settle(baseline, 2000) + tb.leftovers();
        tl.end("leak check", leak.isEmpty() ? "no descriptor, thread, mapping or device handle left over" : leak,
                leak.isEmpty());
        doc.put("leakCheck", Map.of("ok", leak.isEmpty(), "detail", leak.isEmpty() ? "none" : leak));
    }

    private void closeWhatIsStillOpen() {
        if (w != null) {
            w.close();
        }
        if (s != null) {
            s.close();
        }
    }

    /** The verdict: the JSON document or the closing sentence, and the exit code. */
    private int conclude() {
        PrintWriter out = spec.commandLine().getOut();
        doc.put("phases", tl.phases.stream().map(Timeline.Phase::json).toList());
        doc.put("ok", tl.allOk());
        if (json) {
            Report.json(out, doc);
        } else {
            out.printf("%n%s%n", tl.allOk() ? "The device went away under load and came back; nothing crashed, hung or leaked."
                    : "Something above FAILED.");
        }
        if (!tl.allOk()) {
            throw new CommandFailure(ExitCodes.VERIFICATION_FAILED, "the demo found a failure (see the FAILED line)");
        }
        return ExitCodes.OK;
    }

    private static Map<String, Object> teardownJson(UnplugReport rep, LossWatch.Event ev) {
        TeardownReport td = rep.teardown();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", td.reason() == null ? null : td.reason().name());
        m.put("state", td.state().name());
        Map<String, Object> states = new LinkedHashMap<>();
        for (Lifecycle.State st : Lifecycle.State.values()) {
            long t = td.enteredAfterTrigger(st);
            states.put(st.name(), t < 0 ? null : Report.ms(t));
        }
        m.put("msAfterTrigger", states);
        m.put("steps", td.steps().stream().map(x -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("phase", x.phase().name());
            e.put("step", x.name());
            e.put("ms", Report.ms(x.nanos()));
            e.put("failure", x.failure() == null ? null : String.valueOf(x.failure()));
            return e;
        }).toList());
        m.put("buffers", rep.buffers().stream().map(b -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("client", b.client());
            e.put("domain", b.domain().name());
            e.put("gpuAddress", String.format("0x%x", b.gpuAddress()));
            e.put("bytes", b.size());
            e.put("fate", b.fate().name());
            e.put("bytesSaved", b.bytesSaved());
            return e;
        }).toList());
        m.put("nonFatalAer", rep.nonFatalAer());
        return m;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "NO";
    }
}
