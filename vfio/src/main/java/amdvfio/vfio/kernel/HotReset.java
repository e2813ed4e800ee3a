package amdvfio.vfio.kernel;

import amdvfio.bindings.vfio.vfio_h;
import amdvfio.bindings.vfio.vfio_pci_dependent_device;
import amdvfio.bindings.vfio.vfio_pci_hot_reset;
import amdvfio.bindings.vfio.vfio_pci_hot_reset_info;
import amdvfio.os.Errno;
import amdvfio.os.Fd;
import amdvfio.os.SyscallException;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A secondary bus reset through vfio-pci ({@code VFIO_DEVICE_GET_PCI_HOT_RESET_INFO} and
 * {@code VFIO_DEVICE_PCI_HOT_RESET}, drivers/vfio/pci/vfio_pci_core.c). The kernel resets the
 * slot (or the whole bus) under the function, so it asks for proof of ownership of every
 * function affected: one fd per IOMMU group they are in. vfio-pci gives AMD GPUs no
 * VFIO_DEVICE_FLAGS_RESET (the ATI quirk disables the PM reset and consumer cards have no FLR),
 * so this is the one reset the kernel offers them, and only once the HDMI audio function is ours.
 */
final class HotReset {

    /** A function the reset would affect. */
    record Dependent(int group, PciAddress address) {
    }

    private HotReset() {
    }

    /** The functions a hot reset of {@code device} would reset; EOPNOTSUPP/ENODEV-like answers mean none is possible. */
    static List<Dependent> dependents(Fd device, PciAddress address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = vfio_pci_hot_reset_info.allocate(arena);
            vfio_pci_hot_reset_info.argsz(info, (int) vfio_pci_hot_reset_info.sizeof());
            try {
                device.ioctl(vfio_h.VFIO_DEVICE_GET_PCI_HOT_RESET_INFO(), info, "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO");
            } catch (SyscallException e) {
                if (!e.is(Errno.ENOSPC)) {
                    throw new VfioException(e.getMessage() + ": " + address + " offers no bus reset "
                            + "(no slot or bus reset the kernel can use: a root-bus device, or a bridge without one)", e);
                }
                // ENOSPC: count says how many devices; ask again with room for them (linux/vfio.h)
                int count = vfio_pci_hot_reset_info.count(info);
                long size = vfio_pci_hot_reset_info.sizeof() + count * vfio_pci_dependent_device.sizeof();
                info = arena.allocate(size, 8);
                vfio_pci_hot_reset_info.argsz(info, (int) size);
                device.ioctl(vfio_h.VFIO_DEVICE_GET_PCI_HOT_RESET_INFO(), info, "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO");
            }
            List<Dependent> out = new ArrayList<>();
            for (int i = 0; i < vfio_pci_hot_reset_info.count(info); i++) {
                MemorySegment d = info.asSlice(vfio_pci_hot_reset_info.devices$offset() + i * vfio_pci_dependent_device.sizeof(),
                        vfio_pci_dependent_device.sizeof());
                int devfn = Byte.toUnsignedInt(vfio_pci_dependent_device.devfn(d));
                out.add(new Dependent(vfio_pci_dependent_device.group_id(d), new PciAddress(
                        Short.toUnsignedInt(vfio_pci_dependent_device.segment(d)), Byte.toUnsignedInt(vfio_pci_dependent_device.bus(d)),
                        devfn >>> 3, devfn & 7)));
            }
            return out;
        }
    }

    /** Resets the slot or bus of {@code device}, proving ownership with {@code groupFds}. */
    static void reset(Fd device, PciAddress address, List<Fd> groupFds) {
        try (Arena arena = Arena.ofConfined()) {
            long size = vfio_pci_hot_reset.sizeof() + 4L * groupFds.size();
            MemorySegment req = arena.allocate(size, 8);
            vfio_pci_hot_reset.argsz(req, (int) size);
            vfio_pci_hot_reset.count(req, groupFds.size());
            for (int i = 0; i < groupFds.size(); i++) {
                req.set(ValueLayout.JAVA_INT, vfio_pci_hot_reset.group_fds$offset() + 4L * i, groupFds.get(i).value());
            }
            device.ioctl(vfio_h.VFIO_DEVICE_PCI_HOT_RESET(), req, "VFIO_DEVICE_PCI_HOT_RESET");
        } catch (SyscallException e) {
            String hint = e.is(Errno.EINVAL) ? "a function on the bus is in a group we did not pass"
                    : e.is(Errno.EBUSY) ? "another function of the set is open elsewhere" : "see dmesg";
            throw new VfioException(e.getMessage() + ": hot reset of " + address + ": " + hint, e);
        }
    }
}
