package amdvfio.bench.unplug;

import amdvfio.driver.Gpu;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.TeardownReport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the driver's REQ→released goes without the VRAM save (path driver-nosave), in two
 * conditions:
 * <ul>
 * <li><b>steady</b>: removals in one JVM after a warm-up removal, as JMH measures them — the REQ's
 * delivery (removal begun → the lifecycle's trigger on the event thread: the simulated kernel's
 * eventfd write and the event thread's wake-up), the hand-off to the teardown thread, each
 * early-fini step, and the rest up to the device's close;</li>
 * <li><b>first removal in a fresh JVM</b>: what one real removal costs, since a process meets
 * its device's removal once — the teardown path runs cold (interpreted, its classes and call
 * sites linked on first use). Each sample is its own JVM ({@code --first-removal}).</li>
 * </ul>
 * Each figure is the median of its runs; the rows of one condition need not add up.
 */
public final class UnplugBreakdown {

    private static final String AREA = "Unplug breakdown";
    private static final List<String> WORKLOADS = List.of("8x125x64K", "8x1000x4K");
    private static final String[] JVM_FLAGS = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"};

    private final ProbeRows rows;
    private final boolean quick;

    UnplugBreakdown(ProbeRows rows, boolean quick) {
        this.rows = rows;
        this.quick = quick;
    }

    void run() throws Exception {
        for (String w : WORKLOADS) {
            steady(w);
        }
        for (String w : WORKLOADS) {
            firstRemoval(w);
        }
    }

    /** One removal's figures, in nanoseconds, by row name, in the order they happen. */
    private static Map<String, Long> measureOne(UnplugWorkload w) throws Exception {
        try (DriverSimUnplugRig rig = new DriverSimUnplugRig(w, false)) {
            rig.requestRemoval();
            long released = rig.awaitReleased(Duration.ofSeconds(10)).toNanos();
            TeardownReport t = rig.report();
            long delivered = t.triggerNanoTime() - rig.removalBeganNanoTime();
            long handOff = t.earlyFiniStartedAfterTriggerNanos();
            Map<String, Long> f = new LinkedHashMap<>();
            f.put("REQ→released as the simulated device saw it", released);
            f.put("REQ delivered: removal begun → lifecycle trigger", delivered);
            f.put("hand-off: trigger → teardown thread's first step", handOff);
            long before = 0;
            for (TeardownReport.Step s : t.steps()) {
                if (s.phase() != TeardownReport.Phase.EARLY_FINI) {
                    continue;
                }
                if (s.name().equals(Gpu.STEP_RELEASE_DEVICE)) {
                    break;
                }
                f.put("early fini step " + s.name(), s.nanos());
                before += s.nanos();
            }
            f.put("release-device up to the close (REQ→released minus the above)", released - delivered - handOff - before);
            f.put("early fini total (trigger→DETACHED, after the release)", t.nanosIn(Lifecycle.State.UNPLUGGING));
            return f;
        }
    }

    private void steady(String workload) throws Exception {
        UnplugWorkload w = UnplugWorkload.parse(workload);
        int runs = quick ? 3 : 7;
        List<Map<String, Long>> all = new ArrayList<>();
        for (int r = 0; r < runs + 1; r++) { // the first run warms up
            Map<String, Long> f = measureOne(w);
            if (r > 0) {
                all.add(f);
            }
        }
        report(w, workload, "steady (after a warm-up removal in the same JVM)", all,
                "SimControl clock readings and the lifecycle's TeardownReport; the verdict is the JMH row's");
    }

    private void firstRemoval(String workload) throws Exception {
        UnplugWorkload w = UnplugWorkload.parse(workload);
        int runs = quick ? 2 : 5;
        List<Map<String, Long>> all = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            all.add(inFreshJvm(workload));
        }
        report(w, workload, "first removal in a fresh JVM", all,
                "one JVM per sample: the teardown path runs cold, as in a process that meets one removal");
    }

    private void report(UnplugWorkload w, String workload, String condition, List<Map<String, Long>> all, String firstNote) {
        String params = "workload=" + workload + " (" + w.mappings() + " mappings, " + w.populatedPages()
                + " populated pages), path=driver-nosave, " + condition + ", median of " + all.size();
        boolean first = true;
        for (String name : all.get(0).keySet()) {
            List<Long> xs = all.stream().map(m -> m.getOrDefault(name, -1L)).toList();
            rows.add(AREA, name, params, median(xs) / 1e3, "µs", null, null, first ? firstNote : null);
            first = false;
        }
    }

    /** Runs {@code --first-removal} in a new JVM with this one's class path and reads its figures back. */
    private static Map<String, Long> inFreshJvm(String workload) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java command")));
        cmd.addAll(List.of(JVM_FLAGS));
        cmd.addAll(List.of("-Djava.util.logging.config.file=/dev/null", "-cp", System.getProperty("java.class.path"),
                UnplugBreakdown.class.getName(), "--first-removal", workload));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<String, Long> f = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                int tab = line.lastIndexOf('\t');
                if (tab > 0) {
                    f.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("the first-removal JVM did not end within 60 s: " + cmd);
        }
        if (p.exitValue() != 0 || f.isEmpty()) {
            throw new IllegalStateException("the first-removal JVM failed (exit " + p.exitValue() + "): " + cmd);
        }
        return f;
    }

    private static long median(List<Long> xs) {
        long[] a = xs.stream().mapToLong(Long::longValue).sorted().toArray();
        return a.length == 0 ? -1 : a[a.length / 2];
    }

    /** {@code --first-removal <workload>}: one removal in this fresh JVM, its figures as name TAB nanos lines. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--first-removal")) {
            System.err.println("usage: UnplugBreakdown --first-removal <clients>x<bosPerClient>x<boSize>");
            System.exit(2);
        }
        for (Map.Entry<String, Long> e : measureOne(UnplugWorkload.parse(args[1])).entrySet()) {
            System.out.println(e.getKey() + "\t" + e.getValue());
        }
    }
}
