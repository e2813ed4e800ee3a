package amdvfio.driver.reset;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.amdgpu.HeaderFacts;
import amdvfio.amdgpu.Reg;
import amdvfio.bindings.amdgpu.gc_10_1_0_h;
import amdvfio.bindings.amdgpu.gc_10_3_0_h;
import amdvfio.bindings.amdgpu.gc_11_0_0_h;
import amdvfio.bindings.amdgpu.gc_9_0_h;
import amdvfio.bindings.amdgpu.mp_11_0_h;
import amdvfio.bindings.amdgpu.mp_13_0_0_h;
import amdvfio.bindings.amdgpu.mp_9_0_h;
import amdvfio.driver.asic.AsicProfile;
import amdvfio.amdgpu.HwIp;
import amdvfio.driver.ip.DeviceContext;

/**
 * The registers that tell a card's state (spec amd-cold-boot.md §5.1), from the generated
 * headers of the card's MP0 and GC versions: MP0 C2PMSG_33 (bit 31: IFWI done), C2PMSG_35
 * (bit 31: PSP bootloader ready), C2PMSG_81 (sOS sign of life), C2PMSG_64 (the sOS's ring
 * control, where a PSP mode1 reset is asked for), and the CP scratch registers
 * SCRATCH_REG7/6 where this driver leaves its run marker (tinygrad's {@code amdev.py} does the same).
 */
record CardRegisters(Reg ifwi, Reg bootloader, Reg sos, Reg ringControl, Reg scratch6, Reg scratch7) {

    static final int READY = PspMailboxRegs.RESPONSE_READY;

    static CardRegisters of(AsicProfile profile) {
        return switch (profile.name()) {
            case "navi31" -> of(mp_13_0_0_h.class, gc_11_0_0_h.class);
            case "sienna_cichlid" -> of(mp_11_0_h.class, gc_10_3_0_h.class);
            case "navi10" -> of(mp_11_0_h.class, gc_10_1_0_h.class);
            case "vega10" -> of(mp_9_0_h.class, gc_9_0_h.class);
            default -> throw new IllegalArgumentException("no card-state registers for " + profile.name());
        };
    }

    private static CardRegisters of(Class<?> mp, Class<?> gc) {
        HeaderFacts m = HeaderFacts.of(mp);
        HeaderFacts g = HeaderFacts.of(gc);
        return new CardRegisters(m.reg("MP0_SMN_C2PMSG_33"), m.reg("MP0_SMN_C2PMSG_35"), m.reg("MP0_SMN_C2PMSG_81"), m.reg("MP0_SMN_C2PMSG_64"),
                g.reg("SCRATCH_REG6"), g.reg("SCRATCH_REG7"));
    }

    int mp0(DeviceContext ctx, Reg reg) {
        return ctx.regs().read(address(ctx, HwIp.MP0, reg));
    }

    void writeMp0(DeviceContext ctx, Reg reg, int value) {
        ctx.regs().write(address(ctx, HwIp.MP0, reg), value);
    }

    int gcAddress(DeviceContext ctx, Reg reg) {
        return address(ctx, HwIp.GC, reg);
    }

    private static int address(DeviceContext ctx, HwIp ip, Reg reg) {
        return ctx.bases().base(ip, reg.segment()) + reg.offset();
    }
}
