package amdvfio.sim;

import amdvfio.vfio.ConfigSpace;

/**
 * The type-0 configuration header of the simulated function (256 bytes). Identity and BARs are
 * read-only; the command register keeps the bits a driver may set (I/O, memory, bus master,
 * parity, SERR, INTx disable). A removed function answers all ones, writes are dropped.
 *
 * <pre>
 * 0x00 vendor 0x1002 | device      0x04 command | status (capabilities list clear)
 * 0x08 revision | class code       0x0e header type 0
 * 0x10/0x14 BAR0 64-bit prefetchable (VRAM)   0x18/0x1c BAR2 64-bit prefetchable (doorbells)
 * 0x20 BAR4 I/O                     0x24 BAR5 32-bit non-prefetchable (registers)
 * 0x2c subsystem vendor/device      0x3c interrupt line | pin INTA
 * </pre>
 */
final class SimConfigSpace implements ConfigSpace {

    static final int WRITABLE_COMMAND_BITS = 0x1 | COMMAND_MEMORY | COMMAND_BUS_MASTER | 0x40 | 0x100 | COMMAND_INTX_DISABLE;

    private final byte[] header = new byte[256];
    private final SimGpu gpu;

    SimConfigSpace(SimGpu gpu, int deviceId, int classCode, int revision) {
        this.gpu = gpu;
        put16(VENDOR_ID, 0x1002);
        put16(DEVICE_ID, deviceId);
        put16(COMMAND, COMMAND_MEMORY);
        put32(CLASS_REVISION, classCode << 8 | revision);
        header[0x0e] = 0;
        put32(0x10, 0xE000_000C);
        put32(0x14, 0);
        put32(0x18, 0xF000_000C);
        put32(0x1c, 0);
        put32(0x20, 0xE001);
        put32(0x24, 0xFC00_0000);
        put16(0x2c, 0x1002);
        put16(0x2e, deviceId);
        header[0x3d] = 1;
    }

    private void put16(int off, int v) {
        header[off] = (byte) v;
        header[off + 1] = (byte) (v >>> 8);
    }

    private void put32(int off, int v) {
        put16(off, v);
        put16(off + 2, v >>> 16);
    }

    private int get(int off, int len) {
        int v = 0;
        for (int i = len - 1; i >= 0; i--) {
            v = v << 8 | (header[off + i] & 0xFF);
        }
        return v;
    }

    private int read(int offset, int len) {
        if (offset < 0 || offset + len > header.length || offset % len != 0) {
            throw new IllegalArgumentException("config offset 0x" + Integer.toHexString(offset) + " (" + len + " bytes)");
        }
        if (!gpu.present()) {
            return len == 4 ? -1 : (1 << (8 * len)) - 1;
        }
        synchronized (this) {
            return get(offset, len);
        }
    }

    @Override
    public int read8(int offset) {
        return read(offset, 1);
    }

    @Override
    public int read16(int offset) {
        return read(offset, 2);
    }

    @Override
    public int read32(int offset) {
        return read(offset, 4);
    }

    @Override
    public void write16(int offset, int value) {
        if (!gpu.present()) {
            return;
        }
        if (offset == COMMAND) {
            synchronized (this) {
                put16(COMMAND, value & WRITABLE_COMMAND_BITS);
            }
        }
    }

    @Override
    public void write32(int offset, int value) {
        if (offset == COMMAND) {
            write16(COMMAND, value & 0xFFFF);
        } else {
            write16(offset, value);
        }
    }

    /** A reset of the function itself (mode1): the command register is back at 0, as after power-up. */
    synchronized void powerOnReset() {
        put16(COMMAND, 0);
    }

    /** Raw command register, for the model (bus master and memory decode). */
    @Override
    public synchronized int command() {
        return get(COMMAND, 2);
    }
}
