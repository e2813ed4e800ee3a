package amdvfio.vfio;

/**
 * Register access to one BAR. Offsets are in bytes from the start of the BAR and must be
 * naturally aligned. A read from a device that is gone returns all ones (0xFFFFFFFF), as a
 * PCIe read of a missing device does; it never crashes the JVM.
 *
 * <p>Widen 32-bit reads with {@link Integer#toUnsignedLong}, never with a {@code (long)} cast:
 * see the architecture page on SIGBUS and sign-extending loads.
 */
public interface Mmio {

    /** Size of the BAR in bytes. */
    long size();

    int read32(long offset);

    void write32(long offset, int value);

    long read64(long offset);

    /** One 64-bit store (doorbells must not be split in two 32-bit writes). */
    void write64(long offset, long value);
}
