package amdvfio.vfio;

/**
 * The PCI configuration space of a function. Reads of a function that is gone return all ones,
 * so {@link #isPresent()} (vendor id != 0xFFFF) is the presence check amdgpu's
 * {@code pci_device_is_present()} makes.
 */
public interface ConfigSpace {

    int VENDOR_ID = 0x00;
    int DEVICE_ID = 0x02;
    int COMMAND = 0x04;
    int STATUS = 0x06;
    int CLASS_REVISION = 0x08;
    int COMMAND_MEMORY = 1 << 1;
    int COMMAND_BUS_MASTER = 1 << 2;
    int COMMAND_INTX_DISABLE = 1 << 10;

    int read8(int offset);

    int read16(int offset);

    int read32(int offset);

    void write16(int offset, int value);

    void write32(int offset, int value);

    default int vendorId() {
        return read16(VENDOR_ID);
    }

    /** False once the function answers with all ones (surprise removal, link down). */
    default boolean isPresent() {
        return vendorId() != 0xFFFF;
    }

    default int command() {
        return read16(COMMAND);
    }

    /** Sets or clears bus mastering (and memory decode with it when enabling). */
    default void setBusMaster(boolean enable) {
        int cmd = command();
        int updated = enable ? cmd | COMMAND_BUS_MASTER | COMMAND_MEMORY : cmd & ~COMMAND_BUS_MASTER;
        if (updated != cmd) {
            write16(COMMAND, updated);
        }
    }

    default boolean isBusMaster() {
        return (command() & COMMAND_BUS_MASTER) != 0;
    }
}
