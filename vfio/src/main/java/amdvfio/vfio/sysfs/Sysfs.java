package amdvfio.vfio.sysfs;

import amdvfio.vfio.DeviceNotFoundException;
import amdvfio.vfio.InvalidPciAddressException;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;
import amdvfio.vfio.VfioUnavailableException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The PCI part of sysfs, rooted at a directory ({@code /sys} on a machine, a temp dir in tests):
 * list functions with their ids, driver and IOMMU group; judge VFIO readiness the way the kernel
 * judges group viability; bind to vfio-pci, unbind, remove, rescan; wait for a function to appear
 * or vanish.
 *
 * <p>Layout used (Documentation/ABI/testing/sysfs-bus-pci):
 * <pre>
 *   bus/pci/devices/&lt;bdf&gt;/{vendor,device,class,subsystem_vendor,subsystem_device}  "0x1002\n"
 *   bus/pci/devices/&lt;bdf&gt;/driver            -&gt; .../bus/pci/drivers/&lt;name&gt;
 *   bus/pci/devices/&lt;bdf&gt;/iommu_group       -&gt; .../kernel/iommu_groups/&lt;n&gt;
 *   bus/pci/devices/&lt;bdf&gt;/{driver_override,remove,config}, bus/pci/{drivers_probe,rescan}
 *   kernel/iommu_groups/&lt;n&gt;/devices/&lt;bdf&gt;
 * </pre>
 *
 * <p>Threading: stateless apart from the root; safe from any thread. Every read is a fresh
 * snapshot: a function removed while being read is treated as absent, not as an error.
 */
public final class Sysfs {

    /** Drivers that leave a group viable besides vfio ones (vfio_main.c: "pci-stub"; pcieport sets driver_managed_dma). */
    private static final List<String> GROUP_FRIENDLY_DRIVERS = List.of("pci-stub", "pcieport");

    private static final Duration POLL = Duration.ofMillis(10);

    private final Path root;
    private final Runnable pollPause;

    /** The machine's sysfs at /sys. */
    public Sysfs() {
        this(Path.of("/sys"));
    }

    public Sysfs(Path root) {
        this(root, Sysfs::sleep);
    }

    /** For tests: {@code pollPause} runs between two looks of every wait instead of a 10 ms sleep. */
    Sysfs(Path root, Runnable pollPause) {
        this.root = root;
        this.pollPause = pollPause;
    }

    public Path root() {
        return root;
    }

    /** {@code bus/pci/devices}, the directory holding one link per function. */
    public Path devicesDir() {
        return root.resolve("bus/pci/devices");
    }

    private Path dir(PciAddress address) {
        return devicesDir().resolve(address.toString());
    }

    /** Every PCI function, by address. Functions that vanish while being read are left out. */
    public List<PciFunction> list() {
        List<PciFunction> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(devicesDir())) {
            for (Path p : entries.sorted().toList()) {
                PciAddress address;
                try {
                    address = PciAddress.parse(p.getFileName().toString());
                } catch (InvalidPciAddressException e) {
                    continue; // not a function directory
                }
                find(address).ifPresent(out::add);
            }
        } catch (NoSuchFileException e) {
            return List.of(); // no PCI bus at all
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + devicesDir(), e);
        }
        out.sort((a, b) -> a.address().compareTo(b.address()));
        return out;
    }

    /** The function at {@code address}, or empty when there is none (or it vanished while being read). */
    public Optional<PciFunction> find(PciAddress address) {
        Path d = dir(address);
        try {
            int classCode = readHex(d.resolve("class"));
            return Optional.of(new PciFunction(address,
                    readHex(d.resolve("vendor")), readHex(d.resolve("device")), classCode,
                    readHexOr(d.resolve("subsystem_vendor"), 0), readHexOr(d.resolve("subsystem_device"), 0),
                    driverName(d), groupOf(d), isBridge(d, classCode)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + d, e);
        }
    }

    /**
     * The function at {@code address}.
     *
     * @throws DeviceNotFoundException when no such function exists
     */
    public PciFunction function(PciAddress address) {
        return find(address).orElseThrow(() -> new DeviceNotFoundException(address, devicesDir().toString()));
    }

    /** True when {@code bus/pci/devices/<address>} exists. */
    public boolean exists(PciAddress address) {
        return Files.exists(dir(address));
    }

    /** The members of IOMMU group {@code group} that are PCI functions, by address. */
    public List<PciFunction> groupMembers(int group) {
        Path devices = root.resolve("kernel/iommu_groups").resolve(Integer.toString(group)).resolve("devices");
        List<PciFunction> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(devices)) {
            for (Path p : entries.toList()) {
                try {
                    find(PciAddress.parse(p.getFileName().toString())).ifPresent(out::add);
                } catch (InvalidPciAddressException e) {
                    // a non-PCI member (rare); the kernel judges it, we cannot
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + devices, e);
        }
        out.sort((a, b) -> a.address().compareTo(b.address()));
        return out;
    }

    /**
     * Whether {@code address} can be opened through VFIO, mirroring the kernel's checks: an IOMMU
     * group exists, the function is bound to vfio-pci, and the group is viable — every member is
     * bound to a vfio driver, to no driver, to pci-stub, or is a bridge (pcieport). That is the
     * rule of {@code vfio_dev_viable()}/{@code vfio_dev_driver_allowed()} in drivers/vfio/vfio.c
     * (up to 5.19) and of DMA ownership ({@code driver_managed_dma}) in drivers/iommu/iommu.c since.
     *
     * @throws DeviceNotFoundException when no such function exists
     */
    public VfioReadiness readiness(PciAddress address) {
        PciFunction f = function(address);
        if (!f.hasIommuGroup()) {
            return new VfioReadiness(address, VfioReadiness.Status.NO_IOMMU, f.driver(), -1, null, null);
        }
        if (!f.isBoundToVfio()) {
            return new VfioReadiness(address, VfioReadiness.Status.NOT_BOUND, f.driver(), f.iommuGroup(), null, null);
        }
        for (PciFunction m : groupMembers(f.iommuGroup())) {
            if (!leavesGroupViable(m)) {
                return new VfioReadiness(address, VfioReadiness.Status.GROUP_NOT_VIABLE, f.driver(), f.iommuGroup(),
                        m.address(), m.driver());
            }
        }
        return new VfioReadiness(address, VfioReadiness.Status.READY, f.driver(), f.iommuGroup(), null, null);
    }

    private static boolean leavesGroupViable(PciFunction m) {
        return m.driver() == null || m.isBoundToVfio() || m.bridge() || GROUP_FRIENDLY_DRIVERS.contains(m.driver());
    }

    /**
     * Binds {@code address} to vfio-pci the way the kernel documents it (sysfs-bus-pci,
     * driver_override): set {@code driver_override} to vfio-pci, unbind the current driver, write
     * the address to {@code drivers_probe}; then waits up to {@code timeout} for the driver link to
     * name vfio-pci. A function already bound to vfio-pci is left alone.
     *
     * @return the function as bound
     * @throws VfioUnavailableException when the vfio-pci driver is not registered
     */
    public PciFunction bindToVfio(PciAddress address, Duration timeout) {
        PciFunction f = function(address);
        if (f.isBoundToVfio()) {
            return f;
        }
        if (!Files.isDirectory(root.resolve("bus/pci/drivers/vfio-pci"))) {
            throw new VfioUnavailableException(root.resolve("bus/pci/drivers/vfio-pci").toString());
        }
        write(dir(address).resolve("driver_override"), "vfio-pci");
        if (f.driver() != null) {
            write(dir(address).resolve("driver/unbind"), address.toString());
        }
        write(root.resolve("bus/pci/drivers_probe"), address.toString());
        return awaitDriver(address, "vfio-pci", timeout);
    }

    /** {@link #bindToVfio(PciAddress, Duration)} with a 5 s bound. */
    public PciFunction bindToVfio(PciAddress address) {
        return bindToVfio(address, Duration.ofSeconds(5));
    }

    /**
     * Unbinds {@code address} from its driver and clears {@code driver_override}, so a later
     * {@code drivers_probe} or rescan gives it back to its native driver. No-op when unbound.
     */
    public void unbind(PciAddress address) {
        PciFunction f = function(address);
        if (f.driver() != null) {
            write(dir(address).resolve("driver/unbind"), address.toString());
        }
        // "\n" clears the override (drivers/base/driver.c driver_set_override)
        write(dir(address).resolve("driver_override"), "\n");
    }

    /**
     * Resolves what a user typed: the full form as is; the short form {@code 03:00.0} only when
     * exactly one function in any PCI domain has that bus, device and function (lspci -D shows
     * domains other than 0000 on machines with several host bridges or VMD).
     *
     * @throws InvalidPciAddressException when the text is no address or the short form is ambiguous
     */
    public PciAddress resolve(String text) {
        PciAddress parsed = PciAddress.parse(text);
        if (text.strip().split(":").length == 3) {
            return parsed;
        }
        List<PciAddress> matches = list().stream().map(PciFunction::address)
                .filter(a -> a.bus() == parsed.bus() && a.device() == parsed.device() && a.function() == parsed.function())
                .toList();
        if (matches.size() > 1) {
            throw new InvalidPciAddressException("'" + text.strip() + "' names " + matches.size() + " functions ("
                    + matches.stream().map(PciAddress::toString).collect(java.util.stream.Collectors.joining(", "))
                    + "); give the full address with its domain");
        }
        return matches.isEmpty() ? parsed : matches.get(0);
    }

    /** The attribute {@code name} of the function, stripped, or empty when it does not exist or cannot be read. */
    public Optional<String> attribute(PciAddress address, String name) {
        try {
            return Optional.of(Files.readString(dir(address).resolve(name), StandardCharsets.US_ASCII).strip());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The directory of the function, {@code bus/pci/devices/<address>}. */
    public Path functionDir(PciAddress address) {
        return dir(address);
    }

    /**
     * Writes {@code driver_override}: the only driver the kernel will bind to this function from
     * now on ({@code drivers/pci/pci-driver.c pci_match_device}); null clears it.
     */
    public void setDriverOverride(PciAddress address, String driver) {
        // "\n" clears the override (drivers/base/driver.c driver_set_override)
        write(dir(address).resolve("driver_override"), driver == null ? "\n" : driver);
    }

    /** Unbinds the function from its current driver; no-op when it has none. */
    public void unbindDriver(PciAddress address) {
        PciFunction f = function(address);
        if (f.driver() != null) {
            write(dir(address).resolve("driver/unbind"), address.toString());
        }
    }

    /** Asks the kernel to bind a driver to the function ({@code bus/pci/drivers_probe}), honouring driver_override. */
    public void probe(PciAddress address) {
        write(root.resolve("bus/pci/drivers_probe"), address.toString());
    }

    /** Asks the kernel to remove the function ({@code remove}); with vfio-pci this signals REQ to the holder. */
    public void remove(PciAddress address) {
        function(address);
        write(dir(address).resolve("remove"), "1");
    }

    /** Rescans every PCI bus ({@code bus/pci/rescan}): removed functions come back. */
    public void rescan() {
        write(root.resolve("bus/pci/rescan"), "1");
    }

    /** Waits until {@code address} exists, polling every 10 ms. */
    public PciFunction awaitPresent(PciAddress address, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<PciFunction> f = find(address);
            if (f.isPresent()) {
                return f.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SysfsWaitTimeoutException(address + " did not appear in " + devicesDir() + " within "
                        + timeout.toMillis() + " ms; try 'echo 1 > " + root.resolve("bus/pci/rescan") + "' and check dmesg");
            }
            pollPause.run();
        }
    }

    /** Waits until {@code address} no longer exists, polling every 10 ms. */
    public void awaitAbsent(PciAddress address, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (exists(address)) {
            if (System.nanoTime() - deadline > 0) {
                throw new SysfsWaitTimeoutException(address + " is still in " + devicesDir() + " after "
                        + timeout.toMillis() + " ms; a process holding it through VFIO must release it (check dmesg "
                        + "for 'Relaying device request to user')");
            }
            pollPause.run();
        }
    }

    /** Waits until {@code address} is bound to {@code driver}. */
    public PciFunction awaitDriver(PciAddress address, String driver, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            PciFunction f = function(address);
            if (driver.equals(f.driver())) {
                return f;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SysfsWaitTimeoutException(address + " is " + (f.driver() == null ? "unbound" : "bound to " + f.driver())
                        + ", not " + driver + ", " + timeout.toMillis() + " ms after the probe; is the " + driver
                        + " module loaded (modprobe " + driver + ")? check dmesg");
            }
            pollPause.run();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VfioException("interrupted while waiting on sysfs", e);
        }
    }

    private static void write(Path file, String text) {
        try {
            // sysfs attributes take one write() of the whole value; O_TRUNC is ignored there and
            // makes a fake tree's file hold exactly the value.
            Files.write(file, text.getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (AccessDeniedException e) {
            throw new VfioException("cannot write '" + text.strip() + "' to " + file + ": permission denied; run as root", e);
        } catch (NoSuchFileException e) {
            throw new VfioException("cannot write '" + text.strip() + "' to " + file + ": it does not exist "
                    + "(the function or driver vanished?)", e);
        } catch (IOException e) {
            // the kernel's errno comes back as the message (e.g. "No such device" from drivers_probe)
            throw new VfioException("cannot write '" + text.strip() + "' to " + file + ": " + e.getMessage()
                    + "; see dmesg", e);
        }
    }

    /** A small text file (a sysfs attribute, /proc/<pid>/comm), stripped; null when it cannot be read. */
    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static int readHex(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return Integer.parseUnsignedInt(s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s, 16);
        } catch (NumberFormatException e) {
            throw new IOException("not a hex number in " + file + ": '" + s + "'", e);
        }
    }

    private static int readHexOr(Path file, int fallback) throws IOException {
        try {
            return readHex(file);
        } catch (NoSuchFileException e) {
            return fallback;
        }
    }

    /** The last path component of the symlink's target, or null when there is no link. */
    /**
     * The bound driver's name, or null. The kernel removes the link when it unbinds, which can
     * happen between seeing the link and reading it: that is "no driver", not "no function".
     */
    private static String driverName(Path dir) throws IOException {
        try {
            return linkName(dir.resolve("driver"));
        } catch (NoSuchFileException unboundMeanwhile) {
            return null;
        }
    }

    private static String linkName(Path link) throws IOException {
        if (!Files.isSymbolicLink(link)) {
            return null;
        }
        return Files.readSymbolicLink(link).getFileName().toString();
    }

    private static int groupOf(Path dir) throws IOException {
        String name = linkName(dir.resolve("iommu_group"));
        if (name == null) {
            return -1;
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IOException("iommu_group link of " + dir + " does not end in a number: " + name, e);
        }
    }

    /**
     * Header type 1 (PCI-to-PCI bridge) from config byte 0x0E, which sysfs lets anyone read; the
     * class code 0x0604 when config is not readable. vfio_dev_driver_allowed() exempts any
     * non-normal header type.
     */
    private static boolean isBridge(Path dir, int classCode) {
        try {
            byte[] config = Files.readAllBytes(dir.resolve("config"));
            if (config.length > 0x0E) {
                return (config[0x0E] & 0x7F) != 0;
            }
        } catch (IOException | SecurityException e) {
            // fall through to the class code
        }
        return (classCode >>> 8) == 0x0604;
    }
}
