package amdvfio.hwtests.qemu.guest;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import amdvfio.hwtests.qemu.GuestScenario;

/**
 * Runs inside the guest (Java 25, FFM only, no project bindings): proves that the edu device is
 * bound to the real vfio-pci driver and that the kernel VFIO API answers through the legacy
 * container/group path. Prints {@code PROBE key=value} lines that GuestSmokeTest asserts on.
 */
public final class VfioSmokeProbe implements GuestScenario {

    static final String BDF = "0000:01:00.0";
    // <linux/vfio.h>: VFIO_TYPE = ';' (0x3B), VFIO_BASE = 100; _IO(type, nr) = (type << 8) | nr
    static final long VFIO_GET_API_VERSION = 0x3B64;   // _IO(';', 100)
    static final long VFIO_CHECK_EXTENSION = 0x3B65;   // _IO(';', 101)
    static final long VFIO_GROUP_GET_STATUS = 0x3B67;  // _IO(';', 103)
    static final long VFIO_TYPE1v2_IOMMU = 3;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;

    public static void main(String[] args) throws Throwable {
        long t0 = System.nanoTime();
        new VfioSmokeProbe().run();
        System.out.printf("PROBE total_ms=%d%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void run() throws Throwable {
        // the JVM must run pinned to vCPU 0 (multi-threaded TCG JIT-crash workaround, done by /init)
        String cpus = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.split(":")[1].trim()).findFirst().orElse("?");
        System.out.println("PROBE cpus_allowed=" + cpus + " online=" + Files.readString(Path.of("/sys/devices/system/cpu/online")).trim());

        // (a) the device, its ids and its driver
        Path dev = Path.of("/sys/bus/pci/devices", BDF);
        check(Files.isDirectory(dev), dev + " does not exist");
        String vendor = Files.readString(dev.resolve("vendor")).trim();
        String device = Files.readString(dev.resolve("device")).trim();
        String driver = Files.readSymbolicLink(dev.resolve("driver")).getFileName().toString();
        System.out.printf("PROBE device=%s vendor=%s device_id=%s driver=%s%n", BDF, vendor, device, driver);
        check(vendor.equals("0x1234") && device.equals("0x11e8"), "not the edu device: " + vendor + ":" + device);
        check(driver.equals("vfio-pci"), "bound to " + driver + ", not vfio-pci");

        // (b) its IOMMU group and the group's character device
        String group = Files.readSymbolicLink(dev.resolve("iommu_group")).getFileName().toString();
        Path groupDev = Path.of("/dev/vfio", group);
        System.out.printf("PROBE iommu_group=%s group_dev=%s exists=%s%n", group, groupDev, Files.exists(groupDev));
        check(Files.exists(groupDev), groupDev + " missing");
        // The device cdev (/dev/vfio/devices/vfioN, 6.6+) needs CONFIG_VFIO_DEVICE_CDEV, which needs
        // IOMMUFD; no Debian kernel sets it, but a kernel that does is fine too: this probe takes
        // the legacy path either way and says which nodes existed.
        boolean cdev = Files.exists(Path.of("/dev/vfio/devices"));
        boolean iommufd = Files.exists(Path.of("/dev/iommu"));
        System.out.println("PROBE kernel=" + System.getProperty("os.version"));
        System.out.println("PROBE vfio_path=legacy-container-group cdev=" + (cdev ? "present" : "absent")
                + " iommufd=" + (iommufd ? "present" : "absent"));

        // (c) FFM: open /dev/vfio/vfio, VFIO_GET_API_VERSION, VFIO_CHECK_EXTENSION(TYPE1v2), group status
        long th = System.nanoTime();
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        StructLayout stateLayout = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = stateLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        MethodHandle open = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno, Linker.Option.firstVariadicArg(2));
        MethodHandle ioctl = linker.downcallHandle(libc.find("ioctl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errno, Linker.Option.firstVariadicArg(2));
        MethodHandle ioctlPtr = linker.downcallHandle(libc.find("ioctl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), errno, Linker.Option.firstVariadicArg(2));
        MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        System.out.printf("PROBE downcall_handles_ms=%d%n", (System.nanoTime() - th) / 1_000_000);

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(stateLayout);
            int container = (int) open.invokeExact(state, arena.allocateFrom("/dev/vfio/vfio"), O_RDWR | O_CLOEXEC, 0);
            check(container >= 0, "open /dev/vfio/vfio failed, errno " + (int) errnoHandle.get(state, 0L));
            try {
                int api = (int) ioctl.invokeExact(state, container, VFIO_GET_API_VERSION, 0L);
                System.out.println("PROBE VFIO_GET_API_VERSION=" + api);
                check(api >= 0, "VFIO_GET_API_VERSION failed, errno " + (int) errnoHandle.get(state, 0L));
                int type1v2 = (int) ioctl.invokeExact(state, container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU);
                System.out.println("PROBE VFIO_CHECK_EXTENSION(TYPE1v2)=" + type1v2);

                int groupFd = (int) open.invokeExact(state, arena.allocateFrom(groupDev.toString()), O_RDWR | O_CLOEXEC, 0);
                check(groupFd >= 0, "open " + groupDev + " failed, errno " + (int) errnoHandle.get(state, 0L));
                try {
                    MemorySegment status = arena.allocate(8, 4); // struct vfio_group_status { u32 argsz; u32 flags; }
                    status.set(JAVA_INT, 0, 8);
                    int rc = (int) ioctlPtr.invokeExact(state, groupFd, VFIO_GROUP_GET_STATUS, status);
                    check(rc == 0, "VFIO_GROUP_GET_STATUS failed, errno " + (int) errnoHandle.get(state, 0L));
                    int flags = status.get(JAVA_INT, 4);
                    System.out.printf("PROBE VFIO_GROUP_GET_STATUS flags=0x%x viable=%s%n", flags, (flags & 1) != 0);
                    check((flags & 1) != 0, "group not viable");
                } finally {
                    int ignored = (int) close.invokeExact(groupFd);
                }
            } finally {
                int ignored = (int) close.invokeExact(container);
            }
        }
        System.out.println("PROBE ok");
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException(what);
    }
}
