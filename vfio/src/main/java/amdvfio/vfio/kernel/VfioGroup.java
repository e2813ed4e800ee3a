package amdvfio.vfio.kernel;

import amdvfio.bindings.libc.libc_h;
import amdvfio.bindings.vfio.vfio_group_status;
import amdvfio.bindings.vfio.vfio_h;
import amdvfio.os.Fd;
import amdvfio.os.SyscallException;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * An IOMMU group ({@code /dev/vfio/<n>}): the unit of isolation VFIO hands to userspace. Open it,
 * check it is viable, attach it to a container, then get device descriptors from it. Closing it
 * detaches it from its container (vfio_group_fops_release).
 *
 * <p>Threading: used by the opening thread; {@link #close()} once its devices are closed.
 */
public final class VfioGroup implements AutoCloseable {

    private final Fd fd;
    private final int number;

    private VfioGroup(Fd fd, int number) {
        this.fd = fd;
        this.number = number;
    }

    /** Opens group {@code number} under {@code devVfio} (normally /dev/vfio). */
    public static VfioGroup open(Path devVfio, int number) {
        String path = devVfio.resolve(Integer.toString(number)).toString();
        try {
            return new VfioGroup(Fd.open(path, libc_h.O_RDWR()), number);
        } catch (SyscallException e) {
            throw VfioErrors.openingGroup(path, number, e);
        }
    }

    public int number() {
        return number;
    }

    /** The group's descriptor: the proof of ownership VFIO_DEVICE_PCI_HOT_RESET asks for. */
    Fd fd() {
        return fd;
    }

    /** {@code VFIO_GROUP_GET_STATUS} flags (VFIO_GROUP_FLAGS_VIABLE, _CONTAINER_SET). */
    public int statusFlags() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = vfio_group_status.allocate(arena);
            vfio_group_status.argsz(st, (int) vfio_group_status.sizeof());
            fd.ioctl(vfio_h.VFIO_GROUP_GET_STATUS(), st, "VFIO_GROUP_GET_STATUS");
            return vfio_group_status.flags(st);
        }
    }

    /**
     * Throws unless every device of the group is bound to a VFIO driver or harmless. Sysfs
     * usually names the blocker first ({@code Sysfs.readiness}); this is the kernel's own word.
     */
    public void checkViable() {
        if ((statusFlags() & vfio_h.VFIO_GROUP_FLAGS_VIABLE()) == 0) {
            throw new VfioException("IOMMU group " + number + " is not viable: every function in it must be bound to "
                    + "vfio-pci or to no driver; see 'amdvfio list' and bind the others (amdvfio bind <bdf>)");
        }
    }

    void setContainer(VfioContainer container) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment containerFd = arena.allocateFrom(ValueLayout.JAVA_INT, container.fd().value());
            fd.ioctl(vfio_h.VFIO_GROUP_SET_CONTAINER(), containerFd, "VFIO_GROUP_SET_CONTAINER");
        } catch (SyscallException e) {
            throw new VfioException(e.getMessage() + ": cannot attach IOMMU group " + number + " to the container", e);
        }
    }

    /** A descriptor for {@code address}, which must be in this group ({@code VFIO_GROUP_GET_DEVICE_FD}). */
    public Fd openDevice(PciAddress address) {
        try (Arena arena = Arena.ofConfined()) {
            int dev = fd.ioctl(vfio_h.VFIO_GROUP_GET_DEVICE_FD(), arena.allocateFrom(address.toString()),
                    "VFIO_GROUP_GET_DEVICE_FD");
            return new Fd(dev, "vfio-device:" + address);
        } catch (SyscallException e) {
            String hint = e.is(amdvfio.os.Errno.EBUSY) ? "it is already open (one open per device)"
                    : "is it in IOMMU group " + number + " and bound to vfio-pci?";
            throw new VfioException(e.getMessage() + ": cannot open " + address + "; " + hint, e);
        }
    }

    /** Closes the group (detaching it from its container). Idempotent. */
    @Override
    public void close() {
        fd.close();
    }
}
