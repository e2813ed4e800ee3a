package amdvfio.vfio;

/** What a device offers at one IRQ index (struct vfio_irq_info). A count of 0 means not available. */
public record IrqInfo(IrqType type, int count, boolean eventfd, boolean maskable, boolean automasked, boolean noResize) {

    public boolean available() {
        return count > 0;
    }
}
