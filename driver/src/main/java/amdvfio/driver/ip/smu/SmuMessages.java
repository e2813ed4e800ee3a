package amdvfio.driver.ip.smu;

import amdvfio.amdgpu.HeaderFacts;
import amdvfio.amdgpu.Reg;
import amdvfio.bindings.amdgpu.mp_11_0_h;
import amdvfio.bindings.amdgpu.mp_13_0_0_h;
import amdvfio.bindings.amdgpu.mp_9_0_h;
import amdvfio.bindings.amdgpu.smu_v11_0_7_ppsmc_h;
import amdvfio.bindings.amdgpu.smu_v11_0_ppsmc_h;
import amdvfio.bindings.amdgpu.smu_v13_0_0_ppsmc_h;
import amdvfio.bindings.amdgpu.vega10_ppsmc_h;
import amdvfio.driver.asic.AsicProfile;

/**
 * The SMU's language per PMFW generation, all from the generated bindings: the driver mailbox
 * (MP1 C2PMSG_66 message, 82 argument, 90 response; {@code smu_v13_0.c}, {@code smu_v11_0.c},
 * {@code smu9_smumgr.c}), the PPSMC_Result codes, and the ids of the messages this driver sends
 * ({@code *_ppsmc.h}; they differ: SetDriverDramAddrHigh is 0x9 on Vega10, 0xE on SMU 11/13).
 * A message id of -1 means that PMFW has no such message.
 *
 * @param block             amdgpu's name for the SMU block on this ASIC
 * @param mode1MinPmfw      the oldest PMFW whose Mode1Reset amdgpu trusts ({@code mode1_reset_is_support}:
 *                          78.41 = 0x004E2900 on 13.0.0, {@code smu_v13_0_0_ppt.c}; 58.26 = 0x003A1A00
 *                          on Sienna Cichlid, {@code sienna_cichlid_is_mode1_reset_supported})
 */
public record SmuMessages(String block, Reg messageReg, Reg argumentReg, Reg responseReg, int ok, int failed,
                          int unknownCmd, int rejectedPrereq, int rejectedBusy, int testMessage, int getSmuVersion,
                          int setDriverDramAddrHigh, int setDriverDramAddrLow, int allowedMaskLow,
                          int allowedMaskHigh, int enableFeatures, int mode1Reset, int mode1MinPmfw) {

    static final SmuMessages SMU_13_0_0 = read("smu_v13_0_0", mp_13_0_0_h.class, smu_v13_0_0_ppsmc_h.class, 0x004E2900);
    static final SmuMessages SMU_11_0_7 = read("smu_v11_0_7 (sienna_cichlid)", mp_11_0_h.class,
            smu_v11_0_7_ppsmc_h.class, 0x003A1A00);
    /** Navi10's PMFW has no Mode1Reset: it resets through the PSP. */
    static final SmuMessages SMU_11_0_0 = read("smu_v11_0 (navi10)", mp_11_0_h.class, smu_v11_0_ppsmc_h.class, 0);
    /** Vega10's powerplay: no allowed-mask messages; EnableSmuFeatures takes the mask itself. */
    static final SmuMessages SMU_9_0 = read("powerplay (vega10 smu9)", mp_9_0_h.class, vega10_ppsmc_h.class, 0);

    /** The mailbox of {@code mp}'s offsets and the codes and ids of {@code ppsmc}, by their kernel names. */
    private static SmuMessages read(String block, Class<?> mp, Class<?> ppsmc, int mode1MinPmfw) {
        HeaderFacts m = HeaderFacts.of(mp);
        HeaderFacts p = HeaderFacts.of(ppsmc);
        return new SmuMessages(block, m.reg("MP1_SMN_C2PMSG_66"), m.reg("MP1_SMN_C2PMSG_82"), m.reg("MP1_SMN_C2PMSG_90"),
                result(p, "OK"), result(p, "Failed"), result(p, "UnknownCmd"), result(p, "CmdRejectedPrereq"),
                result(p, "CmdRejectedBusy"), message(p, "TestMessage"), message(p, "GetSmuVersion"),
                message(p, "SetDriverDramAddrHigh"), message(p, "SetDriverDramAddrLow"),
                message(p, "SetAllowedFeaturesMaskLow"), message(p, "SetAllowedFeaturesMaskHigh"),
                p.has("PPSMC_MSG_EnableAllSmuFeatures") ? message(p, "EnableAllSmuFeatures") : message(p, "EnableSmuFeatures"),
                message(p, "Mode1Reset"), mode1MinPmfw);
    }

    private static int result(HeaderFacts p, String name) {
        return (int) p.constant("PPSMC_Result_" + name);
    }

    /** A message id, or -1 when this PMFW has none of that name. */
    private static int message(HeaderFacts p, String name) {
        return p.has("PPSMC_MSG_" + name) ? (int) p.constant("PPSMC_MSG_" + name) : -1;
    }

    /** The SMU of {@code profile}. */
    public static SmuMessages of(AsicProfile profile) {
        return switch (profile.name()) {
            case "navi31" -> SMU_13_0_0;
            case "sienna_cichlid" -> SMU_11_0_7;
            case "navi10" -> SMU_11_0_0;
            case "vega10" -> SMU_9_0;
            default -> throw new IllegalArgumentException("no SMU messages for " + profile.name());
        };
    }

    /** Whether this PMFW can reset the card by itself (amdgpu's {@code mode1_reset_is_support}). */
    public boolean supportsMode1(int pmfwVersion) {
        return mode1Reset >= 0 && Integer.compareUnsigned(pmfwVersion, mode1MinPmfw) >= 0;
    }

    /** The status this PMFW posted, in amdgpu's terms ({@code __smu_cmn_reg2errno}). */
    public SmuStatus status(int response) {
        if (response == ok) {
            return SmuStatus.OK;
        }
        if (response == failed) {
            return SmuStatus.FAILED;
        }
        if (response == unknownCmd) {
            return SmuStatus.UNKNOWN_COMMAND;
        }
        if (response == rejectedPrereq) {
            return SmuStatus.BAD_PREREQUISITE;
        }
        if (response == rejectedBusy) {
            return SmuStatus.BUSY;
        }
        return response == 0 ? SmuStatus.NO_RESPONSE : SmuStatus.UNDEFINED;
    }
}
