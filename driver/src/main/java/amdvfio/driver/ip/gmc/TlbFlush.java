package amdvfio.driver.ip.gmc;

import amdvfio.amdgpu.VmHubRegs;
import amdvfio.driver.ip.DeviceContext;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * VMID-0 TLB invalidation through invalidation engine 17 of every hub, after each GART update:
 * {@code amdgpu_gart_invalidate_tlb} → {@code gmc_v*_flush_gpu_tlb}. Per hub: on an MM hub take
 * the semaphore (a read of 1 means acquired), write the request, wait for VMID 0's bit in the ACK
 * register, release the semaphore. A hub keeps serving stale translations until this is done.
 *
 * <p>Threading: called under the GART's lock (one flush at a time, amdgpu's invalidate_lock).
 * Skipped once the device is lost, as {@code drm_dev_enter} fails there.
 */
final class TlbFlush {

    /** amdgpu waits adev->usec_timeout (100 ms) for the semaphore and for the ACK. */
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int VMID = 0;

    private final DeviceContext ctx;
    private final List<VmHubRegs> hubs;
    private volatile boolean enabled;

    TlbFlush(DeviceContext ctx, List<VmHubRegs> hubs) {
        this.ctx = ctx;
        this.hubs = hubs;
    }

    /** From the hubs' programming on: before it there is nothing to flush. */
    void enable() {
        enabled = true;
    }

    void disable() {
        enabled = false;
    }

    /** The GART's hook: flush when the hubs are live and the device is ours. */
    void flushIfEnabled() {
        if (enabled && !ctx.lost()) {
            flush();
        }
    }

    void flush() {
        for (VmHubRegs hub : hubs) {
            flush(hub);
        }
    }

    private void flush(VmHubRegs hub) {
        if (hub.useSemaphore && !await(hub, hub.invSem, hub.semaphore.mask())) {
            ctx.log().log(Level.ERROR, "{0}: timeout waiting for the invalidation semaphore", hub.name);
        }
        ctx.write(hub.baseIp, hub.invReq, hub.invalidateRequest(VMID));
        if (!await(hub, hub.invAck, hub.perVmidInvalidateAck.encode(1 << VMID))) {
            ctx.log().log(Level.ERROR, "{0}: timeout waiting for the VM flush ACK", hub.name);
        }
        if (hub.useSemaphore) {
            ctx.write(hub.baseIp, hub.invSem, 0);
        }
    }

    private boolean await(VmHubRegs hub, amdvfio.amdgpu.Reg reg, int bits) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while ((ctx.read(hub.baseIp, reg) & bits) == 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
