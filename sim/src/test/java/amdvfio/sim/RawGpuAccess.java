package amdvfio.sim;

import amdvfio.vfio.PciDevice;

/** Public face of {@link RawGpu} for tests in other packages: a card brought up by raw registers, SDMA0 ready. */
public final class RawGpuAccess implements AutoCloseable {

    private final RawGpu gpu;
    private long msis;

    private RawGpuAccess(RawGpu gpu) {
        this.gpu = gpu;
    }

    /** Bus master, GART, IH (writeback + doorbell ack) and the SDMA0 ring. */
    public static RawGpuAccess up(PciDevice dev, SimProfile profile) {
        RawGpu g = new RawGpu(dev, profile);
        try {
            g.busMaster().gart().ih(true, true).sdma(0);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        return new RawGpuAccess(g);
    }

    public PciDevice dev() {
        return gpu.dev;
    }

    public RawGpu raw() {
        return gpu;
    }

    /** WRITE_LINEAR of 0xDEADBEEF to data + offset; waits until it lands. */
    public void writeDeadbeef(long offset) {
        long dst = gpu.gart(RawGpu.DATA + offset);
        gpu.emit(0x2, (int) dst, (int) (dst >>> 32), 0, 0xDEADBEEF).commit();
        if (!RawGpu.await(() -> gpu.hostInt(RawGpu.DATA + offset) == 0xDEADBEEF, 5000)) {
            throw new AssertionError("WRITE_LINEAR did not land");
        }
    }

    /**
     * amdgpu-style recovery of a stopped queue: gfx_stop (RB/IB disable), halt (the rising edge
     * resets the F32), then re-initialise the ring from pointer 0 and unhalt.
     */
    public void recoverByHalt() {
        gpu.wreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).rbCntl), 0);
        gpu.wreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).ibCntl), 0);
        gpu.wreg(gpu.f32Cntl(0), gpu.sdmaRegs(0).halt.mask());
        gpu.wptr = 0;
        gpu.sdma(0);
    }

    /** FENCE + TRAP, committed, not waited for. */
    public void submitTrapNoWait() {
        long f = gpu.gart(RawGpu.FENCE);
        gpu.emit(gpu.fenceHeader(), (int) f, (int) (f >>> 32), 1).emit(6, 0).commit();
    }

    /** Emits raw dwords into ring 0 (no padding, no doorbell). */
    public RawGpuAccess emit(int... dws) {
        gpu.emit(dws);
        return this;
    }

    public RawGpuAccess commit() {
        gpu.commit();
        return this;
    }

    public long wptr() {
        return gpu.wptr;
    }

    public long rptrRegister() {
        return Integer.toUnsignedLong(gpu.rreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).rbRptr)))
                | ((long) gpu.rreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).rbRptrHi)) << 32);
    }

    public int statusIdle() {
        return gpu.rreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).statusReg)) & gpu.sdmaRegs(0).statusIdle.mask();
    }

    /** Waits until the rptr register reaches the wptr. */
    public boolean awaitRptr(long millis) {
        return RawGpu.await(() -> rptrRegister() == gpu.wptr, millis);
    }

    public long msiCount() {
        msis += gpu.msi.drain();
        return msis;
    }

    public boolean awaitMsi() {
        return RawGpu.await(() -> msiCount() > 0, 5000);
    }

    public long gart(long hostOffset) {
        return gpu.gart(hostOffset);
    }

    public int hostInt(long hostOffset) {
        return gpu.hostInt(hostOffset);
    }

    @Override
    public void close() {
        gpu.close();
    }
}
