package amdvfio.driver.ip.psp;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.bindings.amdgpu.amdgpu_psp_h;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_resp;
import amdvfio.bindings.amdgpu.psp_gfx_if_h;
import amdvfio.bindings.amdgpu.psp_gfx_rb_frame;
import amdvfio.bindings.amdgpu.psp_gfx_resp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * The sOS's kernel-mode (GPCOM) ring (spec §2.4): psp_v13_0_ring_create / _ring_destroy (the same
 * registers and handshake in psp_v11_0.c:292-377 and psp_v3_1.c:190-281, whose IH reroute runs
 * first, see {@link PspIhReroute}) and
 * amdgpu's psp_ring_cmd_submit + psp_cmd_submit_buf: each command buffer goes out as one 64-byte
 * {@code psp_gfx_rb_frame} with a fence value; the wptr (C2PMSG_67, dwords) wraps at the ring
 * size; completion is the fence word reaching that value, then {@code resp.status}.
 *
 * <p>A non-zero status is an error here. amdgpu only warns on bare metal ("Some version of PSP FW
 * doesn't write 0 to that field"); TG raises. We raise: the cold boot cannot go on past a refused
 * load, and the refused step is a clearer error than the SDMA ring test timing out later.
 */
final class PspKmRing {

    private static final int READY = PspMailboxRegs.RESPONSE_READY;
    private static final int STATUS = psp_gfx_if_h.GFX_CMD_STATUS_MASK();
    /** psp_timeout: 20000 tries of usleep_range(10, 100): up to 2 s. */
    private static final long FENCE_TIMEOUT_NANOS = 2_000_000_000L;
    private static final long CONTROL_TIMEOUT_NANOS = 1_000_000_000L;
    private static final int FRAME_DWORDS = (int) (psp_gfx_rb_frame.sizeof() / 4);

    private final PspMailbox mb;
    private final PspMemory mem;
    private final int ringDwords = (int) (PspMemory.RING_BYTES / 4);
    private final MemorySegment frame = Arena.ofAuto().allocate(psp_gfx_rb_frame.layout());
    private int fenceValue;
    private boolean created;

    PspKmRing(PspMailbox mb, PspMemory mem) {
        this.mb = mb;
        this.mem = mem;
    }

    /** psp_v13_0_ring_create; destroys a leftover ring first (TG: C2PMSG_71 != 0). */
    void create() {
        if (mb.read(mb.regs.c2pmsg71) != 0) {
            destroy();
        }
        mb.waitFor(mb.regs.c2pmsg64, READY, READY, CONTROL_TIMEOUT_NANOS, "ring create: sOS ready");
        long mc = mem.mc(mem.ring);
        mem.zero(mem.ring, PspMemory.RING_BYTES);
        mb.write(mb.regs.c2pmsg69, (int) mc);
        mb.write(mb.regs.c2pmsg70, (int) (mc >>> 32));
        mb.write(mb.regs.c2pmsg71, (int) PspMemory.RING_BYTES);
        mb.write(mb.regs.c2pmsg64, amdgpu_psp_h.PSP_RING_TYPE__KM() << 16);
        control("ring create");
        created = true;
    }

    /** psp_v13_0_ring_destroy: GFX_CTRL_CMD_ID_DESTROY_RINGS. */
    void destroy() {
        mb.write(mb.regs.c2pmsg64, psp_gfx_if_h.GFX_CTRL_CMD_ID_DESTROY_RINGS());
        control("ring destroy");
        created = false;
    }

    boolean created() {
        return created;
    }

    private void control(String step) {
        int v = mb.waitFor(mb.regs.c2pmsg64, READY, READY, CONTROL_TIMEOUT_NANOS, step);
        if ((v & STATUS) != 0) {
            throw new PspException(step, v & STATUS, String.format("PSP %s failed: C2PMSG_64 = 0x%08x", step, v));
        }
    }

    /**
     * Writes {@code cmd} (a {@code psp_gfx_cmd_resp}) to the command buffer, submits one frame and
     * waits for its fence; returns the response, or throws with the PSP's status.
     */
    MemorySegment submit(String step, MemorySegment cmd) {
        mem.put(mem.cmd, cmd);
        long cmdMc = mem.mc(mem.cmd);
        long fenceMc = mem.mc(mem.fence);
        int value = ++fenceValue;
        frame.fill((byte) 0);
        psp_gfx_rb_frame.cmd_buf_addr_lo(frame, (int) cmdMc);
        psp_gfx_rb_frame.cmd_buf_addr_hi(frame, (int) (cmdMc >>> 32));
        psp_gfx_rb_frame.fence_addr_lo(frame, (int) fenceMc);
        psp_gfx_rb_frame.fence_addr_hi(frame, (int) (fenceMc >>> 32));
        psp_gfx_rb_frame.fence_value(frame, value);
        int wptr = mb.read(mb.regs.c2pmsg67);
        mem.put(mem.ring + 4L * (wptr % ringDwords), frame);
        mb.write(mb.regs.c2pmsg67, (wptr + FRAME_DWORDS) % ringDwords);
        awaitFence(step, value);
        MemorySegment resp = Arena.ofAuto().allocate(psp_gfx_resp.layout());
        for (long i = 0; i < resp.byteSize(); i += 4) {
            resp.set(java.lang.foreign.ValueLayout.JAVA_INT, i, mem.read32(mem.cmd + psp_gfx_cmd_resp.resp$offset() + i));
        }
        int status = psp_gfx_resp.status(resp);
        if (status != 0) {
            throw new PspException(step, status, String.format("PSP %s failed with status 0x%x", step, status));
        }
        return resp;
    }

    private void awaitFence(String step, int value) {
        long deadline = System.nanoTime() + FENCE_TIMEOUT_NANOS;
        while (mem.read32(mem.fence) != value) {
            mb.checkPresent(step);
            if (System.nanoTime() - deadline > 0) {
                throw new PspException(step, -1, "PSP " + step + ": no fence " + value + " after "
                        + FENCE_TIMEOUT_NANOS / 1_000_000 + " ms (fence reads " + mem.read32(mem.fence) + ")");
            }
            LockSupport.parkNanos(10_000);
        }
    }
}
