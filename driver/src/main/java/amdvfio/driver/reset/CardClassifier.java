package amdvfio.driver.reset;

import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.smu.SmuException;
import amdvfio.driver.ip.smu.SmuMailbox;

/**
 * Tells cold from warm from wedged (spec amd-cold-boot.md §5.1):
 * <ul>
 * <li>sOS alive (C2PMSG_81 ≠ 0): warm. Ours if SCRATCH_REG7/6 say this driver shut down cleanly
 *     and the state proves sane — the PMFW answers GetSmuVersion (tinygrad's {@code is_smu_alive});
 *     otherwise foreign. amdgpu resets whenever the sOS is alive ({@code soc21/nv_need_reset_on_init}).</li>
 * <li>no sOS, PSP bootloader ready (C2PMSG_35 bit 31), within {@link CardPolicy#bootloaderWait}: cold.</li>
 * <li>no sOS and the bootloader never ready: wedged (vendor-reset's test: {@code sol == 0 && psp_bl_ready}
 *     is "probably reset"; without the ready bit nothing can boot the card).</li>
 * </ul>
 */
final class CardClassifier {

    record Result(CardState state, CardSignature signature, String note) {
    }

    private final DeviceContext ctx;
    private final CardRegisters regs;
    private final RunMarker marker;
    private final SmuMailbox smu;
    private final CardPolicy policy;

    CardClassifier(DeviceContext ctx, CardRegisters regs, RunMarker marker, SmuMailbox smu, CardPolicy policy) {
        this.ctx = ctx;
        this.regs = regs;
        this.marker = marker;
        this.smu = smu;
        this.policy = policy;
    }

    Result classify() {
        CardSignature sig = signature();
        if (sig.sosAlive()) {
            return classifyWarm(sig);
        }
        if (!sig.bootloaderReady()) {
            boolean ready = HardwareWait.until(ctx, policy.bootloaderWait(), "the PSP bootloader", true, this::bootloaderReady);
            sig = signature();
            if (!ready) {
                return new Result(CardState.WEDGED, sig, "no sOS, and the PSP bootloader did not become ready within "
                        + policy.bootloaderWait().toMillis() + " ms");
            }
        }
        return new Result(CardState.COLD, sig, sig.cleanRunOfOurs()
                ? "this driver's marker is there, but no firmware runs" : "no sOS runs; the PSP bootloader is ready");
    }

    private Result classifyWarm(CardSignature sig) {
        if (!sig.cleanRunOfOurs()) {
            return new Result(CardState.WARM_FOREIGN, sig, sig.runMarker() == RunMarker.MARKER
                    ? "an earlier run of this driver did not shut down cleanly" : "the sOS runs and this driver did not leave it");
        }
        if (!policy.reuseWarm()) {
            return new Result(CardState.WARM_FOREIGN, sig, "left cleanly by this driver, but reuse is disabled");
        }
        try {
            smu.send("GetSmuVersion", smu.messages().getSmuVersion(), 0);
            return new Result(CardState.WARM_OURS, sig, "left cleanly by this driver; sOS and PMFW answer");
        } catch (SmuException e) {
            return new Result(CardState.WARM_FOREIGN, sig, "left cleanly by this driver, but the SMU "
                    + e.status().says());
        }
    }

    private CardSignature signature() {
        return new CardSignature(regs.mp0(ctx, regs.sos()), bootloaderReady(), marker.marker(), marker.state());
    }

    private boolean bootloaderReady() {
        int v = regs.mp0(ctx, regs.bootloader());
        return v != 0xFFFFFFFF && (v & CardRegisters.READY) != 0;
    }
}
