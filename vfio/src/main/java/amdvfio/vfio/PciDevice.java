package amdvfio.vfio;

import amdvfio.os.EventFd;

import java.util.List;

/**
 * The device contract: what a driver needs from one PCI function, whether it is reached through
 * kernel VFIO or is the simulated GPU. Region and IRQ indexes are VFIO's
 * ({@code VFIO_PCI_BAR0_REGION_INDEX} .. {@code VFIO_PCI_CONFIG_REGION_INDEX}, {@link IrqType}).
 *
 * <p>Lifetime: the device is usable until {@link #close()}. On an orderly removal the kernel (or
 * the simulator) signals the REQ eventfd and waits; closing is what lets the removal complete.
 * After a surprise removal registers read all-ones and the config vendor id reads 0xFFFF, but
 * every call here still returns (never a JVM crash): that is the contract's promise.
 *
 * <p>Threading: register access, config access and DMA mapping may be called from any thread;
 * {@link #close()} must not race with them — the driver's device guard orders that.
 */
public interface PciDevice extends AutoCloseable {

    /** The function's address, e.g. 0000:03:00.0. */
    PciAddress address();

    /** PCI vendor id read at open (0x1002 for AMD). */
    int vendorId();

    /** PCI device id read at open. */
    int deviceId();

    /** Which implementation is behind the contract, e.g. "kernel-vfio (legacy container/group, Type1v2)" or "simulated". */
    String backend();

    /** Number of region indexes (VFIO_PCI_NUM_REGIONS for vfio-pci). */
    int regionCount();

    /** Region {@code index}: size, flags, fd offset and sparse-mmap areas. A region of size 0 is absent. */
    RegionInfo region(int index);

    /**
     * 32/64-bit register access to BAR {@code bar}: a mapped segment where the BAR is mappable,
     * pread/pwrite on the device otherwise. The same object is returned on every call.
     */
    Mmio mmio(int bar);

    /**
     * The (descriptor, offset, length) through which BAR {@code bar} can be mmap'd, so that
     * client mappings are real mappings at addresses their owner controls (and can replace).
     *
     * @throws VfioException if the BAR is absent or not mappable
     */
    MappableRange mappable(int bar);

    /** The PCI configuration space. */
    ConfigSpace config();

    /** What the device offers at IRQ index {@code type}. */
    IrqInfo irqInfo(IrqType type);

    /**
     * Routes IRQ index {@code type} to {@code triggers}: vector i signals {@code triggers.get(i)}.
     * Enables MSI/MSI-X/INTx with as many vectors as eventfds; ERR and REQ take one eventfd each.
     */
    void enableIrq(IrqType type, List<EventFd> triggers);

    /** Disables IRQ index {@code type} (VFIO_DEVICE_SET_IRQS with count 0); harmless when not enabled. */
    void disableIrq(IrqType type);

    /** The device's DMA address space: host memory mapped at IOVAs the device may use. */
    DmaSpace dma();

    /**
     * Resets the function: VFIO_DEVICE_RESET where vfio-pci offers one (FLR, PM or a bus reset
     * of a lone function), else a hot reset of the slot or bus through VFIO_DEVICE_PCI_HOT_RESET
     * when every affected function is in a group this process owns and the driver has not
     * {@linkplain #forbidBusReset forbidden} it.
     *
     * @throws ResetUnavailableException when neither is possible, saying why
     */
    void reset();

    /**
     * The driver says a secondary bus reset must not be used on this device (some ASICs do not
     * come back from one without a cold boot, e.g. Navi10 and Vega10); {@link #reset()} then
     * throws instead. No effect where there is no bus to reset.
     */
    default void forbidBusReset(String reason) {
    }

    /** One line: which reset {@link #reset()} would use, or why there is none. */
    default String resetPlan() {
        return "device-specific";
    }

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /**
     * Releases the device: disables IRQs, unmaps DMA and the contract's own BAR mappings, closes
     * every descriptor. Client mappings made from {@link #mappable} must have been rerouted or
     * unmapped first (a live mapping keeps a kernel device referenced). Idempotent.
     */
    @Override
    void close();
}
