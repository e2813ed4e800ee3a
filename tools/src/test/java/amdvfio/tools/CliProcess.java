package amdvfio.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The CLI as a separate process, the way a user's shell or a CI runner starts it: stdout and
 * stderr merged and read line by line on a thread, so a test waits on what the command printed
 * (bounded) instead of sleeping.
 */
final class CliProcess implements AutoCloseable {

    /** SIGINT is signal 2: bit 1 of the SigIgn/SigCgt masks in /proc/PID/status. */
    static final long SIGINT_MASK = 1L << 1;
    private static final String END = "\u0000end";

    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private CliProcess(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.ISO_8859_1))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                lines.add(END);
            }
        }, "cli-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code prefix} (e.g. env arguments) + java + the CLI's main class + {@code args}. */
    static CliProcess start(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new CliProcess(cmd);
    }

    /** Reads lines until one matches (returned) or the output ends or 60 s pass (null). */
    String awaitLine(Predicate<String> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null || l.equals(END)) {
                return null;
            }
            seen.add(l);
            if (match.test(l)) {
                return l;
            }
        }
    }

    /** Waits (bounded) for the exit and returns every line printed, including those already read. */
    List<String> finish() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running 30 s later; printed:\n" + String.join("\n", seen));
        }
        awaitLine(l -> false);
        return seen;
    }

    /** The SigIgn or SigCgt mask of the process. */
    long signalMask(String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (l.startsWith(field + ":")) {
                return Long.parseUnsignedLong(l.substring(field.length() + 1).trim(), 16);
            }
        }
        throw new AssertionError("no " + field + " in /proc/" + process.pid() + "/status");
    }

    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
