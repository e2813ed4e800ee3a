package amdvfio.tools;

import amdvfio.driver.boot.BootReport;
import amdvfio.driver.client.GpuClient;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.LossReason;
import amdvfio.vfio.unplug.TeardownReport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One removal under load and the return of the device, as IGT's hotreplug and SPDK's
 * sw_hotplug rounds do: workload → removal → loss signal → early fini → fences completed →
 * clients closed (release) → re-plug/rescan → probe → health check. Times are from the removal.
 */
final class Cycle {

    static final Duration LOSS_TIMEOUT = Duration.ofSeconds(5);
    static final Duration BACK_TIMEOUT = Duration.ofSeconds(30);

    /** What one cycle measured. Times in nanoseconds from the removal; -1 when not reached. */
    record Result(int iteration, Testbench.Removal removal, LossReason signal, long toSignal, long earlyFini,
                  long toRelease, long toHealthy, long fencesSignaled, long fencesLost, boolean allFencesCompleted,
                  String leak, String failure, List<Checks.Item> health, BootReport boot) {

        boolean ok() {
            return failure == null && leak.isEmpty();
        }

        /**
         * One log line: "iteration 3  ok  REQ 0.412 ms  early fini 21.3 ms  released 22.0 ms  boot cold → boot
         * 38.1 ms  healthy 81.2 ms".
         */
        String line() {
            return String.format("iteration %d  %s  %s %s  early fini %s  released %s  boot %s  healthy %s", iteration,
                    ok() ? "ok" : "FAILED", signal == null ? "no signal" : signal.name(), time(toSignal), time(earlyFini),
                    time(toRelease), boot == null ? "-" : boot.card().summary() + " " + time(boot.total().toNanos()),
                    time(toHealthy));
        }

        private static String time(long nanos) {
            return nanos < 0 ? "-" : Report.time(nanos);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("iteration", iteration);
            m.put("removal", removal.name().toLowerCase());
            m.put("signal", signal == null ? null : signal.name());
            m.put("msToSignal", toSignal < 0 ? null : Report.ms(toSignal));
            m.put("msEarlyFini", earlyFini < 0 ? null : Report.ms(earlyFini));
            m.put("msToRelease", toRelease < 0 ? null : Report.ms(toRelease));
            m.put("boot", boot == null ? null : boot.card().action().name());
            m.put("found", boot == null ? null : boot.card().found().name());
            m.put("msBoot", boot == null ? null : Report.ms(boot.total().toNanos()));
            m.put("msToHealthy", toHealthy < 0 ? null : Report.ms(toHealthy));
            m.put("fencesSignaled", fencesSignaled);
            m.put("fencesDeviceLost", fencesLost);
            m.put("allFencesCompleted", allFencesCompleted);
            m.put("leak", leak.isEmpty() ? null : leak);
            m.put("ok", ok());
            m.put("failure", failure);
            return m;
        }
    }

    /** The result and the session on the device that came back (null if it did not). */
    record Outcome(Result result, Session next) {
    }

    private Cycle() {
    }

    /** One cycle; Ctrl-C ends it with {@link Cancellation.Cancelled} after closing what it opened. */
    static Outcome run(int iteration, Testbench tb, Session s, Testbench.Removal how, Workload.Kind kind, int clients,
                       long seed) {
        long t0 = -1;
        LossReason signal = null;
        long toSignal = -1;
        long earlyFini = -1;
        long toRelease = -1;
        long toHealthy = -1;
        long signaled = 0;
        long lost = 0;
        boolean allDone = false;
        String failure = null;
        List<Checks.Item> health = new ArrayList<>();
        BootReport boot = null;
        Session next = null;
        Workload w = null;
        try {
            w = new Workload(s.gpu, clients, kind, seed);
            w.awaitBusy(Duration.ofSeconds(2));
            t0 = System.nanoTime();
            tb.remove(how);
            LossWatch.Event ev = s.watch.await(LOSS_TIMEOUT);
            if (ev == null) {
                failure = "no REQ, ERR or surprise signal within " + LOSS_TIMEOUT.toSeconds() + " s of the removal";
                return new Outcome(new Result(iteration, how, null, -1, -1, -1, -1, w.fencesSignaled(), 0, false, "",
                        failure, health, null), null);
            }
            signal = ev.reason();
            toSignal = ev.atNanos() - t0;
            // The driver tears down by itself: early fini, then the device handle closes (DETACHED).
            if (!s.awaitDetached(LOSS_TIMEOUT)) {
                failure = "early fini did not finish within " + LOSS_TIMEOUT.toSeconds() + " s of the loss";
            }
            TeardownReport rep = s.gpu.teardownReport();
            earlyFini = rep.nanosIn(Lifecycle.State.UNPLUGGING);
            long detached = rep.enteredAfterTrigger(Lifecycle.State.DETACHED);
            toRelease = detached < 0 ? -1 : ev.atNanos() - t0 + detached;
            if (!s.released() && failure == null) {
                failure = "the device handle was still open after early fini";
            }
            if (!rep.failures().isEmpty() && failure == null) {
                failure = "early fini step " + rep.failures().get(0).name() + " failed: " + rep.failures().get(0).failure();
            }
            w.stop();
            w.inspectAfterLoss(s.gpu.unplugReport());
            allDone = w.clients.stream().allMatch(c -> c.lastFenceCompleted);
            signaled = w.fencesSignaled();
            lost = w.fencesLost();
            w.close(); // last client: late fini
            w = null;
            s.close();
            if (!s.gpu.awaitState(Lifecycle.State.RELEASED, LOSS_TIMEOUT) && failure == null) {
                failure = "late fini did not run after the last client closed";
            }
            if (!allDone) {
                failure = "a client's last fence did not complete after the loss";
            }
            Cancellation.check();
            tb.bringBack(BACK_TIMEOUT);
            next = Session.open(tb);
            boot = next.gpu.bootReport();
            try (GpuClient c = next.gpu.openClient()) {
                health.add(Checks.ringTest(c, 0));
                for (int r = 0; r < next.gpu.ringCount(); r++) {
                    health.addAll(Checks.copyFill(c, r, 64 << 10, seed + r));
                }
            }
            toHealthy = System.nanoTime() - t0;
            for (Checks.Item i : health) {
                if (!i.ok() && failure == null) {
                    failure = "health check after re-plug: " + i.name() + ": " + i.detail();
                }
            }
        } catch (CommandFailure | amdvfio.driver.GpuException | amdvfio.vfio.VfioException e) {
            failure = e.getMessage();
        } catch (Cancellation.Cancelled | InterruptedException e) {
            if (next != null) {
                next.close(); // Ctrl-C during the health check: the caller never sees this session
            }
            Thread.currentThread().interrupt();
            throw new Cancellation.Cancelled(); // one kind of Ctrl-C for the commands to catch
        } finally {
            if (w != null) {
                w.close();
            }
        }
        String leak = tb.leftovers();
        return new Outcome(new Result(iteration, how, signal, toSignal, earlyFini, toRelease, toHealthy, signaled, lost,
                allDone, leak, failure, health, boot), next);
    }
}
