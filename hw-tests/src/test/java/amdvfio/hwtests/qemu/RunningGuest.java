package amdvfio.hwtests.qemu;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A booted guest. The serial console is streamed into the test log (System.out, prefixed with
 * the run name) and into {@code target/vm/<name>/console.log}. A watchdog kills QEMU (by pid) at
 * the builder's timeout; {@link #close()} kills it if it still runs, and a JVM shutdown hook
 * kills any QEMU a test left behind.
 */
public final class RunningGuest implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Pattern ANSI = Pattern.compile("\u001B(\\[[0-9;?]*[A-Za-z]|c)");
    private static final Pattern EXIT = Pattern.compile("^AMDVFIO-GUEST-EXIT rc=(\\d+)");
    private static final Pattern PROGRAM_END = Pattern.compile("^AMDVFIO-PROGRAM-END rc=\\d+ uptime=([0-9.]+)");
    private static final Pattern PROGRAM_START = Pattern.compile("^AMDVFIO-PROGRAM-START uptime=([0-9.]+)");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> p.destroyForcibly()), "qemu-reaper"));
    }

    private final String name;
    private final Process process;
    private final long startNanos = System.nanoTime();
    private volatile long deadlineNanos;
    private volatile Duration timeout;
    private final Path consoleLog;
    private final Path work;
    private final Path qmpSocket;
    private final boolean echo;
    private final Thread pump;
    private final Thread watchdog;
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Long> timings = Collections.synchronizedMap(new LinkedHashMap<>());
    private int cursor;
    private volatile boolean timedOut;
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile int exitCode = -1;
    private double guestProgramStart = -1;
    private double guestProgramEnd = -1;
    private Qmp qmp;
    private final Path aotStore;

    private RunningGuest(QemuGuest.Builder b, List<String> cmd, Path consoleLog, Path work, Path qmpSocket) throws IOException {
        this.name = b.name;
        this.timeout = b.timeout;
        this.deadlineNanos = startNanos + b.timeout.toNanos();
        this.consoleLog = consoleLog;
        this.work = work;
        this.qmpSocket = qmpSocket;
        this.echo = b.echoConsole;
        this.aotStore = b.aotCache && b.aotTraining ? b.aotStore : null;
        System.out.println("[vm " + name + "] " + String.join(" ", cmd));
        BufferedWriter log = Files.newBufferedWriter(consoleLog, StandardCharsets.UTF_8);
        this.process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        LIVE.add(process);
        System.out.println("[vm " + name + "] QEMU pid " + process.pid() + ", timeout " + timeout + ", console log " + consoleLog);
        this.pump = Thread.ofPlatform().daemon().name("console-" + name).start(() -> pump(process.getInputStream(), log));
        this.watchdog = Thread.ofPlatform().daemon().name("watchdog-" + name).start(this::watch);
    }

    static RunningGuest launch(QemuGuest.Builder b, List<String> cmd, Path consoleLog, Path work, Path qmpSocket) throws IOException {
        return new RunningGuest(b, cmd, consoleLog, work, qmpSocket);
    }

    public long pid() { return process.pid(); }

    public String name() { return name; }

    /** The host directory shared as /work; {@code results/} in it is /work/results in the guest. */
    public Path workDir() { return work; }

    public Path consoleLog() { return consoleLog; }

    /** The QMP client (connected on first use). Requires {@link QemuGuest.Builder#qmp()}. */
    public synchronized Qmp qmp() throws IOException {
        if (qmpSocket == null) throw new IllegalStateException("guest '" + name + "' was built without .qmp()");
        if (qmp == null) qmp = Qmp.connect(qmpSocket, Duration.ofSeconds(10));
        return qmp;
    }

    /**
     * Waits for the next console line (after the previous match) that matches the pattern; returns
     * its matcher. Fails with the console tail if QEMU exits or the time runs out first.
     */
    public Matcher awaitLine(Pattern pattern, Duration within) throws InterruptedException {
        long waitDeadline = System.nanoTime() + within.toNanos();
        synchronized (lines) {
            while (true) {
                long deadline = Math.min(waitDeadline, deadlineNanos);
                for (; cursor < lines.size(); cursor++) {
                    Matcher m = pattern.matcher(lines.get(cursor));
                    if (m.find()) {
                        cursor++;
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (!process.isAlive() && !pump.isAlive()) {
                    throw new AssertionError("VM '" + name + "' ended before printing /" + pattern + "/\n" + tailLocked(60));
                }
                if (left <= 0) {
                    throw new AssertionError("VM '" + name + "': no console line /" + pattern + "/ within " + within + "\n" + tailLocked(60));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, 200_000_000L));
            }
        }
    }

    public Matcher awaitLine(String regex, Duration within) throws InterruptedException {
        return awaitLine(Pattern.compile(regex), within);
    }

    /**
     * Replaces the run's deadline: QEMU is killed (and the run reported as timed out) if it still
     * runs {@code fromNow} later. Lets a test boot with a generous timeout (boot time varies with
     * host load) and then hold a phase of the guest program to a tight one.
     */
    public void timeoutFromNow(Duration fromNow) {
        timeout = fromNow;
        deadlineNanos = System.nanoTime() + fromNow.toNanos();
    }

    /** Waits until QEMU exits (the guest powers off) or the timeout kills it; then returns the result. */
    public GuestResult awaitExit() {
        try {
            long left;
            while (process.isAlive() && (left = deadlineNanos - System.nanoTime()) > 0) {
                process.waitFor(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
            }
            if (process.isAlive()) {
                timedOut = true;
                kill("timeout " + timeout + " (hang)");
                process.waitFor(10, TimeUnit.SECONDS);
            }
            pump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill("interrupted");
        }
        LIVE.remove(process);
        mark("qemuExit");
        timings.put("wall", ms());
        if (guestProgramStart >= 0 && guestProgramEnd >= 0) {
            timings.put("programGuest", Math.round((guestProgramEnd - guestProgramStart) * 1000));
        }
        int rc = exitCode;
        if (rc < 0 && !timedOut) rc = exitCodeFromFile();
        Path trained = work.resolve("results/app.aot");
        if (aotStore != null && rc == 0 && Files.isRegularFile(trained)) {
            try {
                Path tmp = aotStore.resolveSibling(aotStore.getFileName() + ".tmp");
                Files.copy(trained, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, aotStore, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.out.println("[vm " + name + "] AOT cache trained: " + aotStore + " (" + Files.size(aotStore) / 1024 + " KiB)");
            } catch (IOException e) {
                System.out.println("[vm " + name + "] could not keep the AOT cache: " + e);
            }
        }
        String console;
        synchronized (lines) { console = String.join("\n", lines) + "\n"; }
        GuestResult r = new GuestResult(name, rc, timedOut, process.isAlive() ? -1 : process.exitValue(), console,
                consoleLog, work, Collections.unmodifiableMap(new LinkedHashMap<>(timings)));
        System.out.println("[vm " + name + "] " + (r.succeeded() ? "guest program exited 0" : r.describeFailure().lines().findFirst().orElse("")));
        System.out.println("[vm " + name + "] " + r.timingSummary());
        return r;
    }

    /** Kills QEMU if it still runs, closes QMP. Safe to call twice. */
    @Override
    public void close() {
        if (qmp != null) qmp.close();
        if (process.isAlive()) {
            kill("closed while running");
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(process);
        watchdog.interrupt();
        if (qmpSocket != null) {
            try {
                Files.deleteIfExists(qmpSocket);
                Files.deleteIfExists(qmpSocket.getParent());
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }

    private void kill(String why) {
        if (!process.isAlive() || !killed.compareAndSet(false, true)) return;
        System.out.println("[vm " + name + "] killing QEMU pid " + process.pid() + ": " + why);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void watch() {
        try {
            long left;
            while (process.isAlive() && (left = deadlineNanos - System.nanoTime()) > 0) {
                process.waitFor(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
            }
            if (process.isAlive()) {
                timedOut = true;
                kill("timeout " + timeout + " (hang)");
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void pump(InputStream in, BufferedWriter log) {
        StringBuilder cur = new StringBuilder();
        byte[] buf = new byte[8192];
        try (in; log) {
            int n;
            while ((n = in.read(buf)) > 0) {
                String chunk = new String(buf, 0, n, StandardCharsets.UTF_8);
                for (int i = 0; i < chunk.length(); i++) {
                    char c = chunk.charAt(i);
                    if (c == '\n') {
                        line(cur.toString(), log);
                        cur.setLength(0);
                    } else if (c != '\r') {
                        cur.append(c);
                    }
                }
            }
            if (!cur.isEmpty()) line(cur.toString(), log);
        } catch (IOException e) {
            System.out.println("[vm " + name + "] console stream error: " + e);
        } finally {
            synchronized (lines) { lines.notifyAll(); }
        }
    }

    private void line(String raw, BufferedWriter log) throws IOException {
        String l = ANSI.matcher(raw).replaceAll("");
        long t = ms();
        log.write(l);
        log.newLine();
        log.flush();
        if (echo) System.out.println("[vm " + name + " +" + t + "ms] " + l);
        if (l.startsWith("[guest-init") && !timings.containsKey("init")) timings.put("init", t);
        Matcher m;
        if ((m = PROGRAM_START.matcher(l)).find()) {
            timings.put("programStart", t);
            guestProgramStart = Double.parseDouble(m.group(1));
        } else if ((m = PROGRAM_END.matcher(l)).find()) {
            timings.put("programEnd", t);
            guestProgramEnd = Double.parseDouble(m.group(1));
        } else if ((m = EXIT.matcher(l)).find()) {
            timings.put("exitMarker", t);
            exitCode = Integer.parseInt(m.group(1));
        }
        synchronized (lines) {
            lines.add(l);
            lines.notifyAll();
        }
    }

    private int exitCodeFromFile() {
        try {
            Path f = work.resolve("results/exit-code");
            return Files.exists(f) ? Integer.parseInt(Files.readString(f).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private String tailLocked(int n) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size())) + "\n(console log: " + consoleLog + ")";
    }

    private void mark(String key) { timings.putIfAbsent(key, ms()); }

    private long ms() { return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos); }
}
