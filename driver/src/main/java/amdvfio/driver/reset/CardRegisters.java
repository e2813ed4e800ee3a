package amdvfio.driver.reset;

import amdvfio.bindings.amdgpu.gc_10_1_0_h;
import amdvfio.bindings.amdgpu.gc_10_3_0_h;
import amdvfio.bindings.amdgpu.gc_11_0_0_h;
import amdvfio.bindings.amdgpu.gc_9_0_h;
import amdvfio.bindings.amdgpu.mp_11_0_h;
import amdvfio.bindings.amdgpu.mp_13_0_0_h;
import amdvfio.bindings.amdgpu.mp_9_0_h;
import amdvfio.driver.asic.AsicProfile;
import amdvfio.driver.asic.HwIp;
import amdvfio.driver.ip.DeviceContext;

/**
 * The registers that tell a card's state (spec amd-cold-boot.md §5.1), from the generated
 * headers of the card's MP0 and GC versions: MP0 C2PMSG_33 (bit 31: IFWI done), C2PMSG_35
 * (bit 31: PSP bootloader ready), C2PMSG_81 (sOS sign of life), and the CP scratch registers
 * SCRATCH_REG7/6 where this driver leaves its run marker (tinygrad's {@code amdev.py} does the same).
 */
record CardRegisters(int ifwi, int bootloader, int sos, int scratch6, int scratch6Seg, int scratch7, int scratch7Seg) {

    static final int READY = 1 << 31;

    static CardRegisters of(AsicProfile profile) {
        return switch (profile.name()) {
            case "navi31" -> new CardRegisters(mp_13_0_0_h.regMP0_SMN_C2PMSG_33(), mp_13_0_0_h.regMP0_SMN_C2PMSG_35(),
                    mp_13_0_0_h.regMP0_SMN_C2PMSG_81(), gc_11_0_0_h.regSCRATCH_REG6(), gc_11_0_0_h.regSCRATCH_REG6_BASE_IDX(),
                    gc_11_0_0_h.regSCRATCH_REG7(), gc_11_0_0_h.regSCRATCH_REG7_BASE_IDX());
            case "sienna_cichlid" -> new CardRegisters(mp_11_0_h.mmMP0_SMN_C2PMSG_33(), mp_11_0_h.mmMP0_SMN_C2PMSG_35(),
                    mp_11_0_h.mmMP0_SMN_C2PMSG_81(), gc_10_3_0_h.mmSCRATCH_REG6(), gc_10_3_0_h.mmSCRATCH_REG6_BASE_IDX(),
                    gc_10_3_0_h.mmSCRATCH_REG7(), gc_10_3_0_h.mmSCRATCH_REG7_BASE_IDX());
            case "navi10" -> new CardRegisters(mp_11_0_h.mmMP0_SMN_C2PMSG_33(), mp_11_0_h.mmMP0_SMN_C2PMSG_35(),
                    mp_11_0_h.mmMP0_SMN_C2PMSG_81(), gc_10_1_0_h.mmSCRATCH_REG6(), gc_10_1_0_h.mmSCRATCH_REG6_BASE_IDX(),
                    gc_10_1_0_h.mmSCRATCH_REG7(), gc_10_1_0_h.mmSCRATCH_REG7_BASE_IDX());
            case "vega10" -> new CardRegisters(mp_9_0_h.mmMP0_SMN_C2PMSG_33(), mp_9_0_h.mmMP0_SMN_C2PMSG_35(),
                    mp_9_0_h.mmMP0_SMN_C2PMSG_81(), gc_9_0_h.mmSCRATCH_REG6(), gc_9_0_h.mmSCRATCH_REG6_BASE_IDX(),
                    gc_9_0_h.mmSCRATCH_REG7(), gc_9_0_h.mmSCRATCH_REG7_BASE_IDX());
            default -> throw new IllegalArgumentException("no card-state registers for " + profile.name());
        };
    }

    int mp0(DeviceContext ctx, int offset) {
        return ctx.regs().read(ctx.bases().base(HwIp.MP0, 0) + offset);
    }

    int scratch6Address(DeviceContext ctx) {
        return ctx.bases().base(HwIp.GC, scratch6Seg) + scratch6;
    }

    int scratch7Address(DeviceContext ctx) {
        return ctx.bases().base(HwIp.GC, scratch7Seg) + scratch7;
    }
}
