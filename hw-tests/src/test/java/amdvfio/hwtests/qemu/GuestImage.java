package amdvfio.hwtests.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The guest kernel + initramfs built by {@code hw-tests/guest/prepare.sh}. {@link #get()} runs the
 * script once per JVM (it is idempotent and takes ~0.7 s when everything is cached) and reads
 * {@code .cache/guest/guest.properties}.
 */
public record GuestImage(Path vmlinuz, Path initramfs, String kernelVersion, String modules, String prepareLog) {

    private static GuestImage cached;
    private static RuntimeException cachedFailure;

    /** The hw-tests module directory (Surefire's basedir, or found from the working directory). */
    public static Path moduleDir() {
        for (String candidate : new String[] {System.getProperty("basedir"), ".", "hw-tests"}) {
            if (candidate == null) continue;
            Path p = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(p.resolve("guest/prepare.sh"))) return p;
        }
        throw new IllegalStateException("cannot find hw-tests/guest/prepare.sh from " + Path.of("").toAbsolutePath());
    }

    public static synchronized GuestImage get() {
        if (cached != null) return cached;
        if (cachedFailure != null) throw cachedFailure;
        try {
            cached = prepare(moduleDir());
            return cached;
        } catch (IOException | RuntimeException e) {
            cachedFailure = e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
            throw cachedFailure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the guest image", e);
        }
    }

    private static GuestImage prepare(Path moduleDir) throws IOException, InterruptedException {
        Path script = moduleDir.resolve("guest/prepare.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!p.waitFor(10, TimeUnit.MINUTES)) p.destroyForcibly();
        }
        System.out.print(out);
        System.out.printf("[GuestImage] prepare.sh took %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        if (p.exitValue() != 0) {
            throw new IllegalStateException("hw-tests/guest/prepare.sh failed (exit " + p.exitValue() + "):\n" + out);
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(moduleDir.resolve(".cache/guest/guest.properties"))) {
            props.load(in);
        }
        return new GuestImage(Path.of(props.getProperty("vmlinuz")), Path.of(props.getProperty("initramfs")),
                props.getProperty("kernel.version"), props.getProperty("modules", "").trim(), out);
    }
}
