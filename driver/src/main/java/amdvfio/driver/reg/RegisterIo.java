package amdvfio.driver.reg;

import amdvfio.vfio.Mmio;

/**
 * Register access through BAR5 by absolute dword address ({@code amdgpu_device_rreg/wreg}).
 * Addresses past the end of the BAR go through the PCIE index/data pair would be needed on
 * parts with a small BAR5; none of the four supported profiles needs it for the registers this
 * driver touches, so such an address is refused with a message instead of silently wrapping.
 *
 * <p>Threading: any thread; each access is one 32-bit load or store. Read-modify-write
 * ({@link #update}) is not atomic: callers own their registers (one IP block each).
 */
public final class RegisterIo {

    private final Mmio bar5;

    public RegisterIo(Mmio bar5) {
        this.bar5 = bar5;
    }

    public int read(int dwordAddress) {
        return bar5.read32(byteOffset(dwordAddress));
    }

    public void write(int dwordAddress, int value) {
        bar5.write32(byteOffset(dwordAddress), value);
    }

    /** Sets {@code field} of the register at {@code dwordAddress} to {@code value}, leaving the rest. */
    public void update(int dwordAddress, Field field, int value) {
        write(dwordAddress, field.set(read(dwordAddress), value));
    }

    public Mmio bar() {
        return bar5;
    }

    private long byteOffset(int dwordAddress) {
        long b = Integer.toUnsignedLong(dwordAddress) * 4;
        if (b + 4 > bar5.size()) {
            throw new IllegalArgumentException(String.format(
                    "register dword 0x%x (byte 0x%x) is beyond BAR5 of 0x%x bytes", dwordAddress, b, bar5.size()));
        }
        return b;
    }
}
