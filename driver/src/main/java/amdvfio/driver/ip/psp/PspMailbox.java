package amdvfio.driver.ip.psp;

import amdvfio.amdgpu.AsicBases;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.amdgpu.Reg;
import amdvfio.driver.ip.DeviceContext;
import java.util.concurrent.locks.LockSupport;

/**
 * MP0's C2PMSG registers as the PSP driver uses them, and amdgpu's {@code psp_wait_for}: poll a
 * register until {@code (value & mask) == expected} or a deadline. MP0 segment 0 is 0x16000 on
 * every profile (vega10/navi10/sienna_cichlid_ip_offset.h; amdgpu hard-codes 0x16061 before
 * discovery, so Navi31 very likely shares it: spec §2.1, O2).
 */
final class PspMailbox {

    private static final int MP0_SEG0 = AsicBases.VEGA10.of(HwIp.MP0)[0];

    final PspMailboxRegs regs;
    private final DeviceContext ctx;

    PspMailbox(DeviceContext ctx, PspMailboxRegs regs) {
        this.ctx = ctx;
        this.regs = regs;
    }

    /**
     * Reads {@code r}; all ones is checked against the device's presence first, so a removed card
     * is a {@code DeviceLostException}, never a PSP status or a "warm card" read from 0xFFFFFFFF.
     */
    int read(Reg r) {
        int v = ctx.regs().read(MP0_SEG0 + r.offset());
        if (v == 0xFFFF_FFFF) {
            ctx.checkPresent("PSP " + r.name());
        }
        return v;
    }

    void write(Reg r, int value) {
        ctx.regs().write(MP0_SEG0 + r.offset(), value);
    }

    void checkPresent(String step) {
        ctx.checkPresent("PSP " + step);
    }

    /**
     * Polls {@code r} until {@code (v & mask) == expected}; returns the last value read, or throws
     * after {@code timeoutNanos} naming {@code step} (and a lost device as such).
     */
    int waitFor(Reg r, int mask, int expected, long timeoutNanos, String step) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int v = read(r);
            if ((v & mask) == expected) {
                return v;
            }
            ctx.checkPresent(step);
            if (System.nanoTime() - deadline > 0) {
                throw new PspException(step, -1, String.format("PSP %s: %s reads 0x%08x, waited %d ms for (v & 0x%x) == 0x%x",
                        step, r.name(), v, timeoutNanos / 1_000_000, mask, expected));
            }
            LockSupport.parkNanos(10_000); // amdgpu: udelay(1) per try; the PSP answers in ms
        }
    }
}
