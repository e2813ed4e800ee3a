package amdvfio.hwtests.qemu;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Assumptions;

/**
 * A QEMU (TCG) guest running the stock Debian 6.1 kernel with the real vfio-pci driver, booted
 * from the initramfs of {@code hw-tests/guest/prepare.sh}, running one Java main class from a
 * classpath shared over 9p. See hw-tests/README.md.
 *
 * <pre>{@code
 * GuestResult r = QemuGuest.builder("smoke")
 *         .eduDevice()                       // pcie-root-port rp1 + edu (id edu0) behind intel-iommu
 *         .mainClass(VfioSmokeProbe.class)
 *         .timeout(Duration.ofSeconds(120))
 *         .run();                            // boots, runs, powers off; QEMU is gone afterwards
 * r.assertSucceeded();
 *
 * try (RunningGuest g = QemuGuest.builder("unplug").eduDevice().qmp()
 *         .mainClass(GuestScenarioRunner.class, SomeScenario.class.getName()).start()) {
 *     g.awaitLine("READY", Duration.ofSeconds(60));
 *     g.qmp().deviceDelAndWait("edu0", Duration.ofSeconds(10));
 *     GuestResult r = g.awaitExit();
 * }                                           // close() kills QEMU by pid if it still runs
 * }</pre>
 */
public final class QemuGuest {

    public static final String QEMU = "qemu-system-x86_64";
    public static final String INSTALL_HINT = "apt-get install -y qemu-system-x86 busybox-static kmod cpio";

    /**
     * JVM flags for the guest JVM. Measured in the TCG guest (see README): C1 only and Serial GC
     * make a short FFM program markedly faster; CDS (-Xshare:auto) works with the JDK over 9p.
     */
    public static final List<String> DEFAULT_JVM_ARGS = List.of(
            "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
            "--enable-native-access=ALL-UNNAMED");

    /** The PCI address the edu device gets behind root port rp1. */
    public static final String EDU_BDF = "0000:01:00.0";

    private QemuGuest() {}

    /** Skips the calling test (JUnit assumption) when qemu-system-x86_64 is not on PATH. */
    public static void assumeQemuInstalled() {
        Assumptions.assumeTrue(qemuBinary() != null,
                QEMU + " not installed (not on PATH, or -Damdvfio.qemu=none): the VM tier (real vfio-pci in a QEMU guest) is skipped. Install with: " + INSTALL_HINT);
    }

    /**
     * qemu-system-x86_64 from PATH, or null. The system property {@code amdvfio.qemu} overrides it:
     * a path to another QEMU build, or {@code none} to skip the VM tier.
     */
    public static Path qemuBinary() {
        String override = System.getProperty("amdvfio.qemu");
        if (override != null && !override.isBlank()) {
            if (override.equals("none")) return null;
            Path p = Path.of(override);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, QEMU);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        final String name;
        int memoryMb = 2048;
        int smp = 2;
        boolean tcgMultiThread = false;
        boolean pin = true;
        boolean qmp;
        boolean edu;
        boolean multifunctionEdu;
        boolean ivshmem;
        boolean nvme;
        String kernel = GuestImage.DEFAULT_SERIES;
        Duration timeout = Duration.ofSeconds(180);
        final List<String> extraQemuArgs = new ArrayList<>();
        final List<String> extraKernelArgs = new ArrayList<>();
        final List<String> jvmArgs = new ArrayList<>(DEFAULT_JVM_ARGS);
        final List<Path> classpath = new ArrayList<>();
        String mainClass;
        final List<String> args = new ArrayList<>();
        String script;
        Path jdk = Path.of(System.getProperty("java.home"));
        boolean echoConsole = true;
        boolean aotCache;
        Path aotStore;       // set by start(): where a freshly trained cache is kept
        boolean aotTraining;

        private Builder(String name) {
            if (!name.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("name must be [A-Za-z0-9._-]+: " + name);
            this.name = name;
        }

        public Builder memoryMb(int mb) { this.memoryMb = mb; return this; }

        public Builder smp(int cpus) { this.smp = cpus; return this; }

        /**
         * -accel tcg,thread=multi (one host thread per vCPU) instead of the default thread=single.
         * Measured on this 2-core box under load from other builds: with 2 vCPUs, multi-threaded TCG
         * made the guest JVM 2-5x slower and erratic (java startup 5 s → 15-44 s), single-threaded
         * TCG and -smp 1 stayed stable; with no load the spec measured them about equal.
         */
        public Builder multiThreadedTcg() { this.tcgMultiThread = true; return this; }

        /** Whether /init pins run.sh (and so the JVM) to vCPU 0 with taskset. Default true: keep it. */
        public Builder pinToCpu0(boolean pin) { this.pin = pin; return this; }

        /** Adds a QMP unix socket; {@link RunningGuest#qmp()} connects to it. */
        public Builder qmp() { this.qmp = true; return this; }

        /**
         * QEMU's edu device (1234:11e8) on a PCIe root port: {@code -device pcie-root-port,id=rp1,slot=1,chassis=1
         * -device edu,bus=rp1,id=edu0}. It appears as {@link #EDU_BDF}, bound to vfio-pci by /init.
         */
        public Builder eduDevice() { this.edu = true; return this; }

        /** The Debian kernel series the guest boots: "6.1" (bookworm) or "6.12" (bookworm-backports). */
        public Builder kernel(String series) { this.kernel = series; return this; }

        /**
         * A multifunction slot in one IOMMU group: two edu functions on root port rp2, function 0
         * ({@code multifunction=on}, id eduA) and function 1 (id eduB); a multifunction device without
         * ACS is one group (drivers/iommu/iommu.c pci_device_group), as an AMD card's GPU and audio are.
         */
        public Builder multifunctionEdu() { this.multifunctionEdu = true; return this; }

        /** ivshmem-plain (1af4:1110) on rp3 with 64 MiB of shared memory: BAR2 is 64-bit prefetchable. */
        public Builder ivshmem() { this.ivshmem = true; return this; }

        /** QEMU's nvme (1b36:0010) on rp4, over a null block device: MSI-X only, no MSI. */
        public Builder nvme() { this.nvme = true; return this; }

        /** Raw QEMU arguments appended to the command line (e.g. more devices). */
        public Builder qemuArgs(String... a) { extraQemuArgs.addAll(Arrays.asList(a)); return this; }

        /** Extra kernel parameters (e.g. "amdvfio.nobind", "loglevel=7"). */
        public Builder kernelArgs(String... a) { extraKernelArgs.addAll(Arrays.asList(a)); return this; }

        /** Hard limit for the whole run (boot, program, power-off); QEMU is killed past it. */
        public Builder timeout(Duration t) { this.timeout = t; return this; }

        /** Replaces the default guest JVM flags ({@link #DEFAULT_JVM_ARGS}). */
        public Builder jvmArgs(String... a) { jvmArgs.clear(); jvmArgs.addAll(Arrays.asList(a)); return this; }

        public Builder addJvmArgs(String... a) { jvmArgs.addAll(Arrays.asList(a)); return this; }

        /**
         * Classpath entries (directories or jars) copied into the shared directory. Default: this JVM's
         * test classpath (target/test-classes, target/classes and the dependency jars).
         */
        public Builder classpath(Path... entries) { classpath.addAll(Arrays.asList(entries)); return this; }

        public Builder mainClass(String className, String... arguments) {
            this.mainClass = className;
            this.args.clear();
            this.args.addAll(Arrays.asList(arguments));
            return this;
        }

        public Builder mainClass(Class<?> main, String... arguments) { return mainClass(main.getName(), arguments); }

        /**
         * A shell script (busybox sh) run instead of the java command. The shell function
         * {@code amdvfio_java} runs java with the JVM flags and classpath, e.g. {@code amdvfio_java my.Main a b};
         * {@code $AMDVFIO_CP} holds the guest classpath, /jdk/bin/java is the JDK.
         */
        public Builder script(String shellScript) { this.script = shellScript; return this; }

        /** The JDK shared read-only as /jdk (default: the JDK running the test). */
        public Builder jdk(Path home) { this.jdk = home; return this; }

        /**
         * Opt-in JDK 25 AOT cache (JEP 483/514) for the guest JVM, kept in hw-tests/.cache/aot/ keyed
         * by the JDK, the JVM flags and the classpath contents. The first run with a given key trains
         * it (-XX:AOTCacheOutput: ~25 s more in the guest); later runs start the JVM with it (the
         * smoke probe: ~11 s → ~6 s under load). Only with {@link #mainClass}, not {@link #script}.
         */
        public Builder aotCache() { this.aotCache = true; return this; }

        /** Whether console lines are also printed to System.out (the test log). Default true. */
        public Builder echoConsole(boolean echo) { this.echoConsole = echo; return this; }

        /** Boots the guest; the returned handle must be closed (try-with-resources). */
        public RunningGuest start() throws IOException {
            if (mainClass == null && script == null) throw new IllegalStateException("mainClass or script required");
            Path qemu = qemuBinary();
            if (qemu == null) throw new IllegalStateException(QEMU + " not on PATH; install with: " + INSTALL_HINT);
            GuestImage image = GuestImage.get(kernel);
            Path moduleDir = GuestImage.moduleDir();
            Path runDir = moduleDir.resolve("target/vm").resolve(name);
            deleteTree(runDir);
            Path work = Files.createDirectories(runDir.resolve("work"));
            Files.createDirectories(work.resolve("results"));
            List<Path> hostCp = classpath.isEmpty() ? defaultClasspath() : classpath;
            List<String> guestCp = copyClasspath(hostCp, work.resolve("cp"));
            if (aotCache) {
                Path store = GuestImage.cacheDir().resolve("aot").resolve(aotKeyOf(work.resolve("cp"), jvmArgs, jdk) + ".aot");
                Files.createDirectories(store.getParent());
                aotTraining = !Files.exists(store);
                if (!aotTraining) {
                    Files.copy(store, work.resolve("app.aot"), StandardCopyOption.REPLACE_EXISTING);
                    Files.setLastModifiedTime(store, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
                }
                aotStore = store;
                pruneAotCaches(store.getParent(), 4);
                System.out.println("[vm " + name + "] AOT cache " + (aotTraining ? "will be trained into " : "used: ") + store);
            }
            Files.writeString(work.resolve("run.sh"), runScript(guestCp));
            Path qmpSocket = qmp ? Files.createTempDirectory("amdvfio-qmp").resolve("qmp.sock") : null;
            List<String> cmd = command(qemu, image, work, qmpSocket);
            Files.writeString(runDir.resolve("qemu-command.txt"), String.join(" ", cmd.stream().map(QemuGuest::shellQuote).toList()) + "\n");
            return RunningGuest.launch(this, cmd, runDir.resolve("console.log"), work, qmpSocket);
        }

        /** Boots, runs the program, waits for power-off (or the timeout), and stops QEMU. */
        public GuestResult run() throws IOException {
            try (RunningGuest g = start()) {
                return g.awaitExit();
            }
        }

        List<String> command(Path qemu, GuestImage image, Path work, Path qmpSocket) {
            List<String> c = new ArrayList<>(List.of(qemu.toString(),
                    "-machine", "q35,kernel-irqchip=split",
                    "-accel", "tcg,thread=" + (tcgMultiThread ? "multi" : "single"),
                    "-cpu", "max", "-m", Integer.toString(memoryMb), "-smp", Integer.toString(smp),
                    "-nographic", "-no-reboot", "-nodefaults", "-serial", "stdio",
                    "-device", "intel-iommu,intremap=on,caching-mode=on"));
            if (edu) {
                c.addAll(List.of("-device", "pcie-root-port,id=rp1,slot=1,chassis=1", "-device", "edu,bus=rp1,id=edu0"));
            }
            if (multifunctionEdu) {
                c.addAll(List.of("-device", "pcie-root-port,id=rp2,slot=2,chassis=2",
                        "-device", "edu,bus=rp2,addr=0.0,multifunction=on,id=eduA", "-device", "edu,bus=rp2,addr=0.1,id=eduB"));
            }
            if (ivshmem) {
                c.addAll(List.of("-object", "memory-backend-ram,id=ivmem,size=64M", "-device", "pcie-root-port,id=rp3,slot=3,chassis=3",
                        "-device", "ivshmem-plain,memdev=ivmem,bus=rp3,id=ivshmem0"));
            }
            if (nvme) {
                c.addAll(List.of("-drive", "if=none,id=nvm,file=null-co://,format=raw", "-device", "pcie-root-port,id=rp4,slot=4,chassis=4",
                        "-device", "nvme,drive=nvm,serial=amdvfio,bus=rp4,id=nvme0"));
            }
            if (qmpSocket != null) c.addAll(List.of("-qmp", "unix:" + qmpSocket + ",server=on,wait=off"));
            c.addAll(List.of(
                    "-virtfs", "local,path=" + jdk + ",mount_tag=jdk,security_model=none,readonly=on",
                    "-virtfs", "local,path=" + work + ",mount_tag=work,security_model=none"));
            c.addAll(extraQemuArgs);
            // no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer check can miss its
            // window and panic ("timer doesn't work through Interrupt-remapped IO-APIC"); seen here.
            List<String> kernel = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "intel_iommu=on", "no_timer_check", "quiet"));
            if (!pin) kernel.add("amdvfio.nopin");
            kernel.addAll(extraKernelArgs);
            c.addAll(List.of("-kernel", image.vmlinuz().toString(), "-initrd", image.initramfs().toString(),
                    "-append", String.join(" ", kernel)));
            return c;
        }

        String runScript(List<String> guestCp) {
            List<String> java = new ArrayList<>();
            java.add("/jdk/bin/java");
            java.addAll(jvmArgs);
            if (aotCache && script == null) {
                // -XX:AOTCache* excludes -Xshare:*; the cache includes the JDK's CDS classes anyway.
                java.removeIf(a -> a.startsWith("-Xshare:"));
                // the cache file lives on tmpfs in the guest (mapped by the JVM; 9p is not used for it)
                java.add(aotTraining ? "-XX:AOTCacheOutput=/tmp/app.aot" : "-XX:AOTCache=/tmp/app.aot");
            }
            java.add("-Djava.io.tmpdir=/tmp");
            java.add("-Damdvfio.results=/work/results");
            java.add("-cp");
            java.add("$AMDVFIO_CP");
            StringBuilder s = new StringBuilder("#!/bin/sh\n# generated by amdvfio.hwtests.qemu.QemuGuest for '" + name + "'\n");
            s.append("AMDVFIO_CP=").append(shellQuote(String.join(":", guestCp))).append('\n');
            s.append("amdvfio_java() { ").append(String.join(" ", java.stream().map(a -> a.startsWith("$") ? "\"" + a + "\"" : shellQuote(a)).toList()))
                    .append(" \"$@\"; }\n");
            if (aotCache && script == null && !aotTraining) s.append("cp /work/app.aot /tmp/app.aot\n");
            s.append("read -r up _ < /proc/uptime; echo \"AMDVFIO-PROGRAM-START uptime=$up\"\n");
            if (script != null) {
                s.append("(\n").append(script).append("\n)\n");
            } else {
                List<String> line = new ArrayList<>();
                line.add("amdvfio_java");
                line.add(shellQuote(mainClass));
                args.forEach(a -> line.add(shellQuote(a)));
                s.append(String.join(" ", line)).append('\n');
            }
            s.append("rc=$?\n");
            s.append("read -r up _ < /proc/uptime; echo \"AMDVFIO-PROGRAM-END rc=$rc uptime=$up\"\n");
            if (aotCache && script == null && aotTraining) {
                s.append("[ $rc = 0 ] && [ -f /tmp/app.aot ] && cp /tmp/app.aot /work/results/app.aot\n");
            }
            s.append("exit $rc\n");
            return s.toString();
        }
    }

    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_./:=,+@%-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The test classpath of this JVM (Surefire puts it in java.class.path), existing entries only. */
    static List<Path> defaultClasspath() {
        Set<Path> out = new LinkedHashSet<>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
        for (String e : cp.split(File.pathSeparator)) {
            if (e.isBlank()) continue;
            Path p = Path.of(e).toAbsolutePath().normalize();
            String n = p.getFileName().toString();
            if (n.startsWith("surefire") || n.startsWith("maven-surefire") || !Files.exists(p)) continue;
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static List<String> copyClasspath(List<Path> entries, Path dest) throws IOException {
        Files.createDirectories(dest);
        List<String> guest = new ArrayList<>();
        int i = 0;
        for (Path e : entries) {
            String n = (i++) + "-" + e.getFileName();
            if (Files.isDirectory(e)) {
                // Directories become jars: CDS/AOT caches (-XX:AOTCache, -XX:SharedArchiveFile)
                // accept only jars on the classpath.
                n += ".jar";
                jarTree(e, dest.resolve(n));
            } else {
                Files.copy(e, dest.resolve(n), StandardCopyOption.COPY_ATTRIBUTES);
            }
            guest.add("/work/cp/" + n);
        }
        return guest;
    }

    /** Content hash of the JDK, the classpath copy (names, sizes, bytes) and the JVM flags. */
    /** Keeps the {@code keep} most recently used AOT caches (each ~15 MB); a changed classpath makes a new one. */
    private static void pruneAotCaches(Path dir, int keep) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> old = s.filter(p -> p.toString().endsWith(".aot"))
                    .sorted(Comparator.comparing((Path p) -> {
                        try {
                            return Files.getLastModifiedTime(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).reversed()).skip(keep).toList();
            for (Path p : old) Files.deleteIfExists(p);
        }
    }

    static String aotKeyOf(Path cpDir, List<String> flags, Path jdk) throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(jdk.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(jdk.resolve("release")));
            md.update(String.join(" ", flags).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (Stream<Path> s = Files.list(cpDir)) {
                for (Path p : s.sorted().toList()) {
                    md.update(p.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(p));
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest(), 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void jarTree(Path from, Path jar) throws IOException {
        try (Stream<Path> s = Files.walk(from);
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.setLevel(Deflater.NO_COMPRESSION);
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (p.equals(from)) continue;
                String entry = from.relativize(p).toString().replace(File.separatorChar, '/');
                if (Files.isDirectory(p)) {
                    JarEntry je = new JarEntry(entry + "/");
                    je.setTime(Files.getLastModifiedTime(p).toMillis());
                    out.putNextEntry(je);
                } else {
                    JarEntry je = new JarEntry(entry);
                    je.setTime(Files.getLastModifiedTime(p).toMillis());
                    out.putNextEntry(je);
                    Files.copy(p, out);
                }
                out.closeEntry();
            }
        }
        // a stable mtime (the newest input) so that an AOT cache trained on this jar stays valid
        long newest = 0;
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
        }
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(newest));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
