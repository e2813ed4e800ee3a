package amdvfio.sim.gmc;

/**
 * One memory access the hardware refused: what address (MC or bus), which client, read or write,
 * why. Recorded by the model and queryable through {@code SimControl.faults()}.
 */
public record GpuFault(long address, String client, boolean write, Reason reason, long nanoTime) {

    public enum Reason {
        /** Neither in the frame buffer nor in an enabled GART aperture. */
        UNMAPPED_ADDRESS,
        /**
         * The hub does not translate VMID 0 at all: its MX L1 TLB or its L2 cache is off, as on a
         * cold card until the driver's {@code *hub_v*_gart_enable} (spec amd-cold-boot.md §9).
         */
        HUB_NOT_ENABLED,
        /**
         * A frame-buffer address outside the hub's system aperture (or the L1 TLB not in system
         * access mode 3), and not in the GART either: a cold card's aperture is empty.
         */
        OUTSIDE_SYSTEM_APERTURE,
        /** Inside the GART aperture but the PTE is not VALID. */
        INVALID_PTE,
        /** The PTE lacks READABLE/WRITEABLE for this access. */
        PERMISSION,
        /** A (translated) bus address no DMA mapping covers: an IOMMU fault on real hardware. */
        IOMMU,
        /** Bus mastering is off in the config space: the device cannot reach host memory. */
        BUS_MASTER_DISABLED,
        /** Beyond the end of VRAM. */
        BEYOND_VRAM,
        /** A page table the model does not walk (PAGE_TABLE_DEPTH != 0). */
        UNSUPPORTED_PAGE_TABLE,
        /**
         * The device was released by its driver (vfio's close: bus master off, function reset):
         * an engine winding down reaches no memory. Not a driver error, so never recorded.
         */
        DEVICE_RELEASED
    }

    @Override
    public String toString() {
        return String.format("%s %s fault at 0x%x (%s)", client, write ? "write" : "read", address, reason);
    }
}
