package amdvfio.vfio;

/** The IRQ indexes of a vfio-pci device, with VFIO's index numbers. */
public enum IrqType {
    /** Legacy INTx: one level-triggered line, auto-masked until unmasked. */
    INTX(0),
    MSI(1),
    MSIX(2),
    /** AER errors reported by the kernel (vfio_pci_core_aer_err_detected). */
    ERR(3),
    /** Device request: the kernel wants the device back (sysfs remove, unbind, hot-unplug). */
    REQ(4);

    private final int vfioIndex;

    IrqType(int vfioIndex) {
        this.vfioIndex = vfioIndex;
    }

    /** VFIO_PCI_*_IRQ_INDEX. */
    public int vfioIndex() {
        return vfioIndex;
    }
}
