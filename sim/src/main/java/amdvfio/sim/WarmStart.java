package amdvfio.sim;

import amdvfio.amdgpu.HeaderFacts;
import amdvfio.amdgpu.HwIp;
import amdvfio.bindings.amdgpu.gc_11_0_0_h;
import amdvfio.sim.regs.RegisterFile;
import amdvfio.sim.reset.CardReset;
import amdvfio.sim.smu.Smu;

/**
 * A warm Navi31 as an earlier run of amdvfio leaves it on a clean close: the sOS shows a sign of
 * life (C2PMSG_81), the PMFW answers, and the driver's run marker says "clean" (SCRATCH_REG7 =
 * the marker, SCRATCH_REG6 = 0, as the driver's {@code RunMarker} writes them, the way tinygrad's
 * AM marks its own runs). The driver reuses such a card without reading any firmware file, which
 * is what a warm simulated card is for: tests about something else, and machines without
 * linux-firmware. A reset takes the firmware away as on any card (no sOS, no PMFW, registers at
 * reset values); the warm model has no bootloader to boot it again, so only a re-plug makes it
 * usable by the driver again.
 */
final class WarmStart {

    /** The driver's run marker ("AMV", version 1); HardwareFactsTest checks it against the driver's. */
    static final int RUN_MARKER = 0x414D5601;
    static final int RUN_CLEAN = 0;
    private static final int SOS_SIGN_OF_LIFE = 1; // any non-zero value (spec §5.1 tests only != 0)
    private static final HeaderFacts GC = HeaderFacts.of(gc_11_0_0_h.class);

    private WarmStart() {
    }

    static void asLeftByACleanRun(RegisterFile regs, SimProfile profile, CardReset reset, Smu smu) {
        synchronized (regs) {
            int[] gc = profile.ip(HwIp.GC).bases();
            regs.setRaw(GC.reg("SCRATCH_REG7").address(gc), RUN_MARKER);
            regs.setRaw(GC.reg("SCRATCH_REG6").address(gc), RUN_CLEAN);
            reset.sosAlive(SOS_SIGN_OF_LIFE);
            smu.loadPmfw();
        }
    }
}
