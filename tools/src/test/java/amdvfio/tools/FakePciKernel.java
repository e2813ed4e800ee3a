package amdvfio.tools;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PCI core's answers to sysfs writes on a {@link FakeSysfs} tree, so that the real command
 * line can bind, unbind, remove and rescan against it: {@code driver_override} is honoured by
 * {@code drivers_probe}, {@code drivers/<d>/unbind} drops the driver link, {@code remove} takes
 * the function off the bus, {@code rescan} brings removed functions back with their native
 * driver (as a loaded amdgpu or snd_hda_intel would claim them) and an empty override. It reacts
 * to each write through inotify (a {@link WatchService}), one event at a time in order.
 */
final class FakePciKernel implements AutoCloseable {

    private final FakeSysfs fake;
    private final Map<String, String> nativeDrivers = new HashMap<>();
    private final Set<String> removed = new HashSet<>();
    private final List<String> log = new ArrayList<>();
    private final WatchService watch;
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Thread thread;
    private long handled;
    private long settleToken;

    FakePciKernel(FakeSysfs fake, Map<String, String> nativeDrivers) throws IOException {
        this.fake = fake;
        this.nativeDrivers.putAll(nativeDrivers);
        this.watch = fake.root.getFileSystem().newWatchService();
        Path bus = fake.root.resolve("bus/pci");
        touch(bus.resolve("drivers_probe"));
        touch(bus.resolve("rescan"));
        register(bus);
        for (String d : Set.of("vfio-pci", "amdgpu", "snd_hda_intel", "e1000e", "ahci")) {
            Files.createDirectories(bus.resolve("drivers").resolve(d));
        }
        try (var drivers = Files.list(bus.resolve("drivers"))) {
            for (Path d : drivers.toList()) {
                touch(d.resolve("unbind"));
                touch(d.resolve("bind"));
                register(d);
            }
        }
        try (var devices = Files.list(fake.root.resolve("sys-devices"))) {
            for (Path d : devices.toList()) {
                touch(d.resolve("remove"));
                register(d);
            }
        }
        thread = Thread.ofPlatform().daemon().name("fake-pci-kernel").start(this::run);
    }

    /**
     * Returns once every write made before the call has been answered: a token written to a
     * watched file comes back through the same event queue, repeated until a round brings no
     * other event (the real kernel answers inside the write() itself; this one answers later).
     */
    synchronized void settle() throws IOException, InterruptedException {
        long before;
        do {
            before = handled;
            long token = ++settleToken;
            Files.writeString(fake.root.resolve("bus/pci/.settle"), Long.toString(token));
            while (settled < token) {
                wait();
            }
        } while (handled != before);
    }

    private long settled;

    /**
     * Functions behind a Thunderbolt tunnel: they are off the bus until {@code authorized} of
     * device {@code tbId} is written 1, then they arrive (probed natively, as on a real re-plug).
     */
    synchronized void behindThunderbolt(String tbId, String... bdfs) throws IOException {
        for (String bdf : bdfs) {
            remove(bdf);
        }
        tunnels.put(tbId, List.of(bdfs));
        register(fake.root.resolve("bus/thunderbolt/devices").resolve(tbId));
    }

    private final Map<String, List<String>> tunnels = new HashMap<>();

    /** What the kernel did, in order ("unbind 0000:03:00.1 from snd_hda_intel", ...). */
    synchronized List<String> log() {
        return List.copyOf(log);
    }

    private void register(Path dir) throws IOException {
        dirs.put(dir.register(watch, StandardWatchEventKinds.ENTRY_MODIFY), dir);
    }

    private static void touch(Path p) throws IOException {
        if (!Files.exists(p)) {
            Files.writeString(p, "");
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                Path dir = dirs.get(key);
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.context() instanceof Path name) {
                        react(dir, name.toString(), Files.readString(dir.resolve(name)).strip());
                    }
                }
                key.reset();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private synchronized void react(Path dir, String file, String value) throws IOException {
        if (value.isEmpty()) {
            return; // the truncation half of a write
        }
        // Values are left in place: a write may raise two events (truncate, write), and each
        // action is idempotent, so reading the same value twice does nothing more.
        if (!file.equals(".settle")) {
            handled++;
        }
        switch (file) {
            case ".settle" -> {
                settled = Math.max(settled, Long.parseLong(value));
                notifyAll();
            }
            case "unbind" -> unbind(value, dir.getFileName().toString());
            case "bind" -> bindTo(value, dir.getFileName().toString());
            case "drivers_probe" -> probe(value);
            case "remove" -> remove(dir.getFileName().toString());
            case "rescan" -> rescan();
            case "authorized" -> {
                if (value.equals("1") && tunnels.containsKey(dir.getFileName().toString())) {
                    log.add("authorized " + dir.getFileName());
                    rescan();
                }
            }
            default -> {
                // driver_override and the like: read when the kernel probes
            }
        }
    }

    private void unbind(String bdf, String driver) throws IOException {
        Path link = fake.root.resolve("sys-devices").resolve(bdf).resolve("driver");
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).getFileName().toString().equals(driver)) {
            Files.delete(link);
            log.add("unbind " + bdf + " from " + driver);
        }
    }

    private void probe(String bdf) throws IOException {
        Path dev = fake.root.resolve("sys-devices").resolve(bdf);
        if (Files.isSymbolicLink(dev.resolve("driver"))) {
            return;
        }
        String override = Files.readString(dev.resolve("driver_override")).strip();
        String driver = override.isEmpty() || override.equals("(null)") ? nativeDrivers.get(bdf) : override;
        if (driver != null) {
            bindTo(bdf, driver);
        }
    }

    private void bindTo(String bdf, String driver) throws IOException {
        Path dev = fake.root.resolve("sys-devices").resolve(bdf);
        Path drv = fake.root.resolve("bus/pci/drivers").resolve(driver);
        if (Files.isDirectory(drv) && !Files.isSymbolicLink(dev.resolve("driver"))) {
            Files.createSymbolicLink(dev.resolve("driver"), drv);
            log.add("bind " + bdf + " to " + driver);
        }
    }

    private void remove(String bdf) throws IOException {
        if (removed.add(bdf)) {
            Files.deleteIfExists(fake.root.resolve("bus/pci/devices").resolve(bdf));
            Files.deleteIfExists(fake.root.resolve("sys-devices").resolve(bdf).resolve("driver"));
            log.add("remove " + bdf);
        }
    }

    private void rescan() throws IOException {
        for (String bdf : removed.stream().sorted().toList()) {
            Path dev = fake.root.resolve("sys-devices").resolve(bdf);
            Files.writeString(dev.resolve("driver_override"), "(null)\n"); // a new pci_dev
            Files.createSymbolicLink(fake.root.resolve("bus/pci/devices").resolve(bdf), dev);
            log.add("add " + bdf);
            probe(bdf);
        }
        removed.clear();
    }

    @Override
    public void close() throws IOException {
        watch.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
