package amdvfio.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Process-wide resource counts for leak checks: open descriptors and live Java threads. */
record Leaks(long fds, int threads) {

    static Leaks now() {
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        } catch (IOException e) {
            fds = -1;
        }
        // The progress bar's own thread ends asynchronously after close; it is the CLI's, not the driver's.
        return new Leaks(fds, (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().equals("ProgressBar")).count());
    }

    /**
     * Waits up to {@code millis} for the counts to come back to {@code baseline} (threads of a
     * released device end asynchronously); returns "" when they did, else what is left over.
     */
    static String settle(Leaks baseline, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        Leaks n;
        do {
            n = now();
            if (n.fds <= baseline.fds && n.threads <= baseline.threads) {
                return "";
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancellation.Cancelled();
            }
        } while (System.nanoTime() - deadline < 0);
        StringBuilder sb = new StringBuilder();
        if (n.fds > baseline.fds) {
            sb.append(n.fds - baseline.fds).append(" descriptor(s) ");
        }
        if (n.threads > baseline.threads) {
            sb.append(n.threads - baseline.threads).append(" thread(s) ");
            sb.append(Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList()).append(' ');
        }
        return sb.append("more than before").toString();
    }
}
