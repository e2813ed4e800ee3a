package amdvfio.sim.reset;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.amdgpu.HeaderFacts;
import amdvfio.amdgpu.Reg;
import amdvfio.bindings.amdgpu.mp_11_0_h;
import amdvfio.bindings.amdgpu.mp_13_0_0_h;
import amdvfio.bindings.amdgpu.mp_9_0_h;

/**
 * The PSP (MP0) registers the reset model reads or answers, from the generated
 * {@code mp_*_offset.h} of the card's MP0 version: C2PMSG_35, the bootloader's command/status
 * (bit 31 = ready), C2PMSG_81, the sOS sign of life (spec §2.1, §5.1), and C2PMSG_64, the sOS's
 * ring control, where a PSP mode1 reset is requested (psp_v11_0/psp_v3_1_mode1_reset).
 */
record Mp0Mailbox(Reg bootloader, Reg sosSignOfLife, Reg ringControl) {

    static final int BOOTLOADER_READY = PspMailboxRegs.RESPONSE_READY;

    static Mp0Mailbox forMp0(int major) {
        HeaderFacts h = HeaderFacts.of(switch (major) {
            case 13 -> mp_13_0_0_h.class;
            case 11 -> mp_11_0_h.class;
            case 9 -> mp_9_0_h.class;
            default -> throw new IllegalArgumentException("no simulated PSP for MP0 " + major);
        });
        return new Mp0Mailbox(h.reg("MP0_SMN_C2PMSG_35"), h.reg("MP0_SMN_C2PMSG_81"), h.reg("MP0_SMN_C2PMSG_64"));
    }
}
