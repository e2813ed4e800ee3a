package amdvfio.sim.reset;

import amdvfio.bindings.amdgpu.mp_11_0_h;
import amdvfio.bindings.amdgpu.mp_13_0_0_h;
import amdvfio.bindings.amdgpu.mp_9_0_h;

/**
 * The two PSP (MP0) registers the reset model reads or answers, as MP0 segment-0 dword offsets
 * from the generated {@code mp_*_offset.h} of the card's MP0 version: C2PMSG_35, the bootloader's
 * command/status (bit 31 = ready), and C2PMSG_81, the sOS sign of life (spec §2.1, §5.1).
 */
record Mp0Mailbox(int bootloader, int sosSignOfLife) {

    static final int BOOTLOADER_READY = 1 << 31;

    static Mp0Mailbox forMp0(int major) {
        return switch (major) {
            case 13 -> new Mp0Mailbox(mp_13_0_0_h.regMP0_SMN_C2PMSG_35(), mp_13_0_0_h.regMP0_SMN_C2PMSG_81());
            case 11 -> new Mp0Mailbox(mp_11_0_h.mmMP0_SMN_C2PMSG_35(), mp_11_0_h.mmMP0_SMN_C2PMSG_81());
            case 9 -> new Mp0Mailbox(mp_9_0_h.mmMP0_SMN_C2PMSG_35(), mp_9_0_h.mmMP0_SMN_C2PMSG_81());
            default -> throw new IllegalArgumentException("no simulated PSP for MP0 " + major);
        };
    }
}
