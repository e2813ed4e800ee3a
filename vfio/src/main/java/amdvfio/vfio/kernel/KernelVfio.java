package amdvfio.vfio.kernel;

import amdvfio.bindings.libc.libc_h;
import amdvfio.os.Fd;
import amdvfio.os.SyscallException;
import amdvfio.vfio.DeviceNotFoundException;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioUnavailableException;
import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a PCI function through kernel VFIO — the entry point of the real backend.
 *
 * <p>Order (Documentation/driver-api/vfio.rst): sysfs first, so that the common mistakes get
 * their own message (no such function, no IOMMU, not bound to vfio-pci, a group member held by a
 * host driver); then /dev/vfio/vfio (container: API version, Type1v2), /dev/vfio/&lt;group&gt;
 * (viable), attach, SET_IOMMU, and the device descriptor. Anything opened is closed again when a
 * later step fails.
 *
 * <p>One container and one group per opened device: opening a second function of the same
 * group from this process fails with EBUSY on the group (a shared container is future work;
 * the cdev+iommufd backend will not have groups at all).
 */
public final class KernelVfio {

    private KernelVfio() {
    }

    /** Opens {@code address} using /sys and /dev/vfio. */
    public static KernelVfioDevice open(PciAddress address) {
        return open(address, new Sysfs());
    }

    /** Opens {@code address}, judging readiness from {@code sysfs}, with /dev/vfio. */
    public static KernelVfioDevice open(PciAddress address, Sysfs sysfs) {
        return open(address, sysfs, Path.of("/dev/vfio"));
    }

    /**
     * Opens {@code address} with the VFIO nodes under {@code devVfio}.
     *
     * @throws DeviceNotFoundException when there is no such function; from sysfs also
     *         {@code NoIommuException}, {@code NotBoundToVfioException}, {@code GroupNotViableException};
     *         {@link VfioUnavailableException} when {@code devVfio/vfio} is missing;
     *         {@code VfioPermissionException} on EACCES/EPERM
     */
    public static KernelVfioDevice open(PciAddress address, Sysfs sysfs, Path devVfio) {
        PciFunction f = sysfs.function(address);
        sysfs.readiness(address).orThrow();
        Path containerPath = devVfio.resolve("vfio");
        if (!Files.exists(containerPath)) {
            throw new VfioUnavailableException(containerPath.toString());
        }
        VfioContainer container = VfioContainer.open(containerPath);
        VfioGroup group = null;
        Fd device = null;
        Fd sysfsConfig = null;
        try {
            group = VfioGroup.open(devVfio, f.iommuGroup());
            group.checkViable();
            container.attach(group);
            device = group.openDevice(address);
            sysfsConfig = openQuietly(sysfs.devicesDir().resolve(address.toString()).resolve("config"));
            return new KernelVfioDevice(address, container, group, device, sysfsConfig);
        } catch (RuntimeException e) {
            closeQuietly(sysfsConfig, e);
            closeQuietly(device, e);
            closeQuietly(group, e);
            closeQuietly(container, e);
            throw e;
        }
    }

    /** The presence check is an extra: without it (permissions) the config region is used. */
    private static Fd openQuietly(Path path) {
        try {
            return Fd.open(path.toString(), libc_h.O_RDONLY());
        } catch (SyscallException e) {
            return null;
        }
    }

    private static void closeQuietly(AutoCloseable c, RuntimeException into) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            into.addSuppressed(e);
        }
    }
}
