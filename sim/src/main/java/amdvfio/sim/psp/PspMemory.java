package amdvfio.sim.psp;

import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFaultException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The PSP's view of memory: MC addresses through the memory hub (VRAM in the FB aperture, system
 * memory through the GART), as psp_gfx_if.h says of its interface: "All physical addresses used
 * in this interface are actually GPU Virtual Addresses". A fault is recorded by the hub and
 * surfaces to the caller as {@link GpuFaultException}.
 */
final class PspMemory {

    private static final String CLIENT = "PSP";

    private final Gmc gmc;

    PspMemory(Gmc gmc) {
        this.gmc = gmc;
    }

    /** True if the {@code expected.byteSize()} bytes at {@code mc} equal {@code expected}. */
    boolean matches(long mc, MemorySegment expected) throws GpuFaultException {
        long done = 0;
        long len = expected.byteSize();
        while (done < len) {
            MemorySegment run = gmc.resolve(mc + done, len - done, false, CLIENT).segment();
            if (run.mismatch(expected.asSlice(done, run.byteSize())) != -1) {
                return false;
            }
            done += run.byteSize();
        }
        return true;
    }

    /** A private, 8-byte aligned copy of {@code len} bytes at {@code mc} (for the generated layouts). */
    MemorySegment copy(long mc, long len) throws GpuFaultException {
        MemorySegment out = Arena.ofAuto().allocate(len, 8);
        long done = 0;
        while (done < len) {
            MemorySegment run = gmc.resolve(mc + done, len - done, false, CLIENT).segment();
            MemorySegment.copy(run, 0, out, done, run.byteSize());
            done += run.byteSize();
        }
        return out;
    }

    void write(long mc, MemorySegment src) throws GpuFaultException {
        long done = 0;
        long len = src.byteSize();
        while (done < len) {
            MemorySegment run = gmc.resolve(mc + done, len - done, true, CLIENT).segment();
            MemorySegment.copy(src, done, run, 0, run.byteSize());
            done += run.byteSize();
        }
    }

    void writeInt(long mc, int value) throws GpuFaultException {
        gmc.writeInt(mc, value, CLIENT);
    }

    long fbBase() {
        return gmc.fbBase();
    }

    long vramBytes() {
        return gmc.vram().byteSize();
    }
}
