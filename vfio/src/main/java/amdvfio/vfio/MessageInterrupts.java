package amdvfio.vfio;

import java.util.Optional;

/**
 * Which message-signalled interrupt index to use: MSI where the function offers it, else MSI-X
 * (vfio-pci enables MSI-X with as many vectors as eventfds are given, from vector 0 —
 * vfio_msi_enable with msix=true), else none: the caller polls. A function that offers only
 * MSI-X (many newer devices; QEMU's nvme) would otherwise silently poll.
 */
public final class MessageInterrupts {

    private MessageInterrupts() {
    }

    /** MSI, else MSI-X, each only when it has a vector and takes an eventfd; empty when neither. */
    public static Optional<IrqType> choose(PciDevice device) {
        for (IrqType t : new IrqType[] {IrqType.MSI, IrqType.MSIX}) {
            IrqInfo info = device.irqInfo(t);
            if (info.available() && info.count() > 0) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
