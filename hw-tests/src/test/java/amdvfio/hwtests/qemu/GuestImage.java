package amdvfio.hwtests.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The guest kernel + initramfs built by {@code hw-tests/guest/prepare.sh} for one Debian kernel
 * series: "6.1" (bookworm, the default) or "6.12" (bookworm-backports). {@link #get(String)} runs
 * the script once per series and JVM (it is idempotent and takes ~0.7 s when everything is cached)
 * and reads {@code <cache>/guest/<series>/guest.properties}; the cache is {@code hw-tests/.cache}
 * unless {@code AMDVFIO_GUEST_CACHE} names another, as for the script.
 */
public record GuestImage(String series, Path vmlinuz, Path initramfs, String kernelVersion, String modules, String prepareLog) {

    /** Kernel series of a run that does not name one: {@code -Damdvfio.vm.kernel=6.12}, else 6.1. */
    public static final String DEFAULT_SERIES = System.getProperty("amdvfio.vm.kernel", "6.1");

    private static final java.util.Map<String, GuestImage> cached = new java.util.HashMap<>();
    private static final java.util.Map<String, RuntimeException> cachedFailure = new java.util.HashMap<>();

    /** The hw-tests module directory (Surefire's basedir, or found from the working directory). */
    public static Path moduleDir() {
        for (String candidate : new String[] {System.getProperty("basedir"), ".", "hw-tests"}) {
            if (candidate == null) continue;
            Path p = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(p.resolve("guest/prepare.sh"))) return p;
        }
        throw new IllegalStateException("cannot find hw-tests/guest/prepare.sh from " + Path.of("").toAbsolutePath());
    }

    /** The cache directory prepare.sh uses: {@code AMDVFIO_GUEST_CACHE}, else {@code hw-tests/.cache}. */
    public static Path cacheDir() {
        String env = System.getenv("AMDVFIO_GUEST_CACHE");
        return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath() : moduleDir().resolve(".cache");
    }

    public static GuestImage get() {
        return get(DEFAULT_SERIES);
    }

    public static synchronized GuestImage get(String series) {
        if (cached.containsKey(series)) return cached.get(series);
        if (cachedFailure.containsKey(series)) throw cachedFailure.get(series);
        try {
            GuestImage image = prepare(moduleDir(), series);
            cached.put(series, image);
            return image;
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
            cachedFailure.put(series, failure);
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the guest image", e);
        }
    }

    private static GuestImage prepare(Path moduleDir, String series) throws IOException, InterruptedException {
        Path script = moduleDir.resolve("guest/prepare.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("AMDVFIO_KERNEL", series);
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
        try (InputStream in = Files.newInputStream(cacheDir().resolve("guest").resolve(series).resolve("guest.properties"))) {
            props.load(in);
        }
        return new GuestImage(series, Path.of(props.getProperty("vmlinuz")), Path.of(props.getProperty("initramfs")),
                props.getProperty("kernel.version"), props.getProperty("modules", "").trim(), out);
    }
}
