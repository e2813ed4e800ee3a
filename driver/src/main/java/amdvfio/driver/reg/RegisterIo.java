package amdvfio.driver.reg;

import amdvfio.amdgpu.Field;
import amdvfio.vfio.Mmio;

/**
 * Register access by absolute dword address ({@code amdgpu_device_rreg/wreg}): through BAR5 when
 * the register is inside it, else through the NBIO's PCIE index/data pair once the probe knows
 * where that is ({@link #indirect}; {@code amdgpu_device_indirect_rreg}: write the byte address
 * to the index, read the index back, then access the data). Navi31's S2A doorbell entries
 * (NBIO 4.3 segment 3, offset 0x4f764x) are such registers.
 *
 * <p>Threading: any thread; a direct access is one 32-bit load or store, an indirect one holds
 * this object's lock for the index/data pair (amdgpu's pcie_idx_lock). Read-modify-write
 * ({@link #update}) is not atomic: callers own their registers (one IP block each).
 */
public final class RegisterIo {

    private final Mmio bar5;
    private volatile long indexByte = -1;
    private volatile long dataByte = -1;

    public RegisterIo(Mmio bar5) {
        this.bar5 = bar5;
    }

    /** Enables access beyond BAR5 through the index/data registers at these absolute dwords. */
    public void indirect(int indexDword, int dataDword) {
        this.indexByte = byteOffset(indexDword);
        this.dataByte = byteOffset(dataDword);
    }

    public int read(int dwordAddress) {
        long b = Integer.toUnsignedLong(dwordAddress) * 4;
        if (b + 4 <= bar5.size()) {
            return bar5.read32(b);
        }
        synchronized (this) {
            select(dwordAddress, b);
            return bar5.read32(dataByte);
        }
    }

    public void write(int dwordAddress, int value) {
        long b = Integer.toUnsignedLong(dwordAddress) * 4;
        if (b + 4 <= bar5.size()) {
            bar5.write32(b, value);
            return;
        }
        synchronized (this) {
            select(dwordAddress, b);
            bar5.write32(dataByte, value);
        }
    }

    /** Index = the register's byte address, read back so the write lands before the data access. */
    private void select(int dwordAddress, long byteAddress) {
        if (indexByte < 0) {
            throw new IllegalArgumentException(String.format(
                    "register dword 0x%x (byte 0x%x) is beyond BAR5 of 0x%x bytes and the PCIE index/data pair is not known yet",
                    dwordAddress, byteAddress, bar5.size()));
        }
        bar5.write32(indexByte, (int) byteAddress);
        bar5.read32(indexByte);
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
