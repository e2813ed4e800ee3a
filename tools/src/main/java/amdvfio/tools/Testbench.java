package amdvfio.tools;

import amdvfio.driver.reset.CardPolicy;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;

import java.time.Duration;

/**
 * Where a command's device lives and how it is removed and brought back: the embedded simulator
 * ({@link SimTestbench}: fault injection through {@code SimControl}) or a real function through
 * sysfs and kernel VFIO ({@link HostTestbench}: remove/rescan, unbind/bind). Commands are written
 * once against this.
 */
interface Testbench extends AutoCloseable {

    /** How a removal is made. */
    enum Removal {
        /** sysfs remove (or pciehp's attention button): REQ, the device answers until released. */
        ORDERLY,
        /** unbind from vfio-pci: REQ as well; it comes back by binding again. */
        UNBIND,
        /** the cable pulled: all-ones reads at once, REQ later. Simulator only. */
        SURPRISE,
        /** a fatal AER error: ERR, then the link is gone. Simulator only. */
        AER
    }

    PciAddress address();

    boolean simulated();

    /** One line: "simulated Navi10 at 0000:03:00.0" or "0000:03:00.0 (vfio-pci, IOMMU group 12)". */
    String describe();

    /** The IOMMU group, or -1 (the simulator has none). */
    int iommuGroup();

    /** How {@code Gpu.open} treats the card here: where the firmware for a boot is read from. */
    CardPolicy cardPolicy();

    /** Opens the device (a vfio open). */
    PciDevice open();

    /** Starts a removal of the kind; returns without waiting for the driver to release it. */
    void remove(Removal how);

    /** After the device was released: brings it back (replug / rescan / bind) and waits until it can be opened. */
    void bringBack(Duration timeout);

    /** Leftovers of released cards that a leak check can inspect (simulator: threads and handles); empty when clean. */
    String leftovers();

    @Override
    void close();
}
