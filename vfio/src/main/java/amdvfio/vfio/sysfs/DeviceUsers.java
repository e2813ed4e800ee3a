package amdvfio.vfio.sysfs;

import amdvfio.vfio.PciAddress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Who is using a function through its host driver, the questions dpdk-devbind asks before it
 * unbinds ("routing table indicates that interface is active"): which processes hold its DRM
 * nodes ({@code <dev>/drm/card*}, {@code renderD*} → {@code /dev/dri/...}) or {@code /dev/kfd}
 * (amdkfd has one node for every GPU, so any holder may be using this one), found the way
 * {@code fuser} finds them — the {@code /proc/<pid>/fd} links; and whether it drives a display
 * ({@code boot_vga}, or a DRM connector that is connected and enabled).
 *
 * <p>Processes whose fds this user may not read are not seen: run as root for a full answer.
 */
public final class DeviceUsers {

    /** A process holding one of the nodes. */
    public record User(int pid, String command, String node) {
        @Override
        public String toString() {
            return command + " (pid " + pid + ", " + node + ")";
        }
    }

    private final Sysfs sysfs;
    private final Path proc;
    private final Path dev;

    public DeviceUsers(Sysfs sysfs, Path proc, Path dev) {
        this.sysfs = sysfs;
        this.proc = proc;
        this.dev = dev;
    }

    /** /proc and /dev for the machine's /sys; {@code proc/} and {@code dev/} inside a fake tree. */
    public static DeviceUsers forSysfs(Sysfs sysfs) {
        Path root = sysfs.root().toAbsolutePath().normalize();
        return root.equals(Path.of("/sys")) ? new DeviceUsers(sysfs, Path.of("/proc"), Path.of("/dev"))
                : new DeviceUsers(sysfs, root.resolve("proc"), root.resolve("dev"));
    }

    /** The device nodes of {@code address}: its DRM nodes, and /dev/kfd when amdgpu drives it. */
    public List<Path> nodes(PciAddress address) {
        List<Path> nodes = new ArrayList<>();
        for (String name : drmNames(address)) {
            nodes.add(dev.resolve("dri").resolve(name));
        }
        if ("amdgpu".equals(sysfs.find(address).map(PciFunction::driver).orElse(null))) {
            nodes.add(dev.resolve("kfd"));
        }
        return nodes;
    }

    /** The processes that hold any of {@link #nodes}, by pid. */
    public List<User> users(PciAddress address) {
        return holders(nodes(address));
    }

    /** The processes that hold the VFIO group {@code /dev/vfio/<group>} (a removal or unbind waits for them). */
    public List<User> groupUsers(int group) {
        return holders(List.of(dev.resolve("vfio").resolve(Integer.toString(group))));
    }

    private List<User> holders(List<Path> nodes) {
        if (nodes.isEmpty()) {
            return List.of();
        }
        Set<String> wanted = new TreeSet<>();
        nodes.forEach(n -> wanted.add(n.toString()));
        List<User> users = new ArrayList<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                String held = heldNode(pid.resolve("fd"), wanted);
                if (held != null) {
                    users.add(new User(Integer.parseInt(pid.getFileName().toString()), command(pid), held));
                }
            }
        } catch (IOException e) {
            return users; // no /proc: nothing can be said
        }
        users.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
        return users;
    }

    /**
     * Why the function drives a display, or null: {@code boot_vga} = 1 (the firmware console is
     * on it), or a DRM connector whose {@code status} is "connected" and {@code enabled} is "enabled".
     */
    public String drivesDisplay(PciAddress address) {
        if ("1".equals(sysfs.attribute(address, "boot_vga").orElse(null))) {
            return "it is the boot display (boot_vga = 1)";
        }
        for (String card : drmNames(address)) {
            if (!card.startsWith("card")) {
                continue;
            }
            Path cardDir = sysfs.functionDir(address).resolve("drm").resolve(card);
            try (Stream<Path> connectors = Files.list(cardDir)) {
                for (Path c : connectors.filter(p -> p.getFileName().toString().startsWith(card + "-")).sorted().toList()) {
                    if ("connected".equals(read(c.resolve("status"))) && "enabled".equals(read(c.resolve("enabled")))) {
                        return "its output " + c.getFileName().toString().substring(card.length() + 1) + " shows a display";
                    }
                }
            } catch (IOException e) {
                // no connectors listed
            }
        }
        return null;
    }

    private List<String> drmNames(PciAddress address) {
        try (Stream<Path> s = Files.list(sysfs.functionDir(address).resolve("drm"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("card\\d+|renderD\\d+")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String heldNode(Path fdDir, Set<String> wanted) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (wanted.contains(target)) {
                        return target;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // the fd closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or it exited
        }
        return null;
    }

    private static String command(Path pid) {
        String comm = read(pid.resolve("comm"));
        return comm == null ? "?" : comm;
    }

    private static String read(Path p) {
        return Sysfs.text(p);
    }
}
