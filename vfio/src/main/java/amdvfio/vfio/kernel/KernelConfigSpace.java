package amdvfio.vfio.kernel;

import amdvfio.os.Errno;
import amdvfio.os.Fd;
import amdvfio.os.SyscallException;
import amdvfio.vfio.ConfigSpace;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * PCI configuration space through the VFIO config region (pread/pwrite on the device fd at the
 * region's offset; vfio_pci_config.c filters and virtualises it). A failed read — the device is
 * gone — returns all ones of the access's width.
 *
 * <p>Presence: vfio-pci <b>virtualises</b> the vendor and device id (vfio_pci_config.c,
 * init_pci_cap_basic_perm: PCI_VENDOR_ID is ALL_VIRT), so through the config region they keep
 * reading the cached value after a surprise removal. {@link #isPresent()} therefore reads the
 * vendor id from sysfs' {@code config} attribute when it could be opened — a real config cycle,
 * 0xFFFF once the link is gone — and falls back to the region otherwise.
 *
 * <p>Threading: any thread. Nothing allocates: per-thread buffers of each width.
 */
final class KernelConfigSpace implements ConfigSpace {

    private static final ThreadLocal<MemorySegment> B1 = ThreadLocal.withInitial(() -> Arena.global().allocate(1));
    private static final ThreadLocal<MemorySegment> B2 = ThreadLocal.withInitial(() -> Arena.global().allocate(2, 2));
    private static final ThreadLocal<MemorySegment> B4 = ThreadLocal.withInitial(() -> Arena.global().allocate(4, 4));

    private final PciAddress address;
    private final Fd device;
    private final long regionOffset;
    private final Fd sysfsConfig;

    /** @param sysfsConfig an open {@code /sys/bus/pci/devices/<bdf>/config}, or null */
    KernelConfigSpace(PciAddress address, Fd device, long regionOffset, Fd sysfsConfig) {
        this.address = address;
        this.device = device;
        this.regionOffset = regionOffset;
        this.sysfsConfig = sysfsConfig;
    }

    @Override
    public int read8(int offset) {
        MemorySegment b = B1.get();
        return read(device, regionOffset, b, offset) ? Byte.toUnsignedInt(b.get(ValueLayout.JAVA_BYTE, 0)) : 0xFF;
    }

    @Override
    public int read16(int offset) {
        MemorySegment b = B2.get();
        return read(device, regionOffset, b, offset) ? Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT, 0)) : 0xFFFF;
    }

    @Override
    public int read32(int offset) {
        MemorySegment b = B4.get();
        return read(device, regionOffset, b, offset) ? b.get(ValueLayout.JAVA_INT, 0) : 0xFFFFFFFF;
    }

    @Override
    public void write16(int offset, int value) {
        MemorySegment b = B2.get();
        b.set(ValueLayout.JAVA_SHORT, 0, (short) value);
        write(b, offset);
    }

    @Override
    public void write32(int offset, int value) {
        MemorySegment b = B4.get();
        b.set(ValueLayout.JAVA_INT, 0, value);
        write(b, offset);
    }

    /** A real config read of the vendor id (see the class comment); false once it reads 0xFFFF or fails. */
    @Override
    public boolean isPresent() {
        if (sysfsConfig == null || !sysfsConfig.isOpen()) {
            return vendorId() != 0xFFFF;
        }
        MemorySegment b = B2.get();
        return read(sysfsConfig, 0, b, VENDOR_ID) && Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT, 0)) != 0xFFFF;
    }

    private boolean read(Fd fd, long base, MemorySegment b, int offset) {
        try {
            fd.preadFully(b, base + offset);
            return true;
        } catch (SyscallException e) {
            if (deviceGone(e)) {
                return false;
            }
            throw new VfioException("config read of " + b.byteSize() + " bytes at 0x" + Integer.toHexString(offset)
                    + " on " + address + " failed: " + e.getMessage(), e);
        }
    }

    private void write(MemorySegment b, int offset) {
        try {
            device.pwriteFully(b, regionOffset + offset);
        } catch (SyscallException e) {
            if (!deviceGone(e)) {
                throw new VfioException("config write of " + b.byteSize() + " bytes at 0x" + Integer.toHexString(offset)
                        + " on " + address + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static boolean deviceGone(SyscallException e) {
        return e.is(Errno.EIO) || e.is(Errno.ENODEV) || e.is(Errno.ENXIO) || e.is(Errno.EBADF);
    }
}
