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

    static final SmuMessages SMU_13_0_0 = new SmuMessages("smu_v13_0_0",
            mp1(mp_13_0_0_h.class, 66), mp1(mp_13_0_0_h.class, 82), mp1(mp_13_0_0_h.class, 90),
            smu_v13_0_0_ppsmc_h.PPSMC_Result_OK(), smu_v13_0_0_ppsmc_h.PPSMC_Result_Failed(),
            smu_v13_0_0_ppsmc_h.PPSMC_Result_UnknownCmd(), smu_v13_0_0_ppsmc_h.PPSMC_Result_CmdRejectedPrereq(),
            smu_v13_0_0_ppsmc_h.PPSMC_Result_CmdRejectedBusy(), smu_v13_0_0_ppsmc_h.PPSMC_MSG_TestMessage(),
            smu_v13_0_0_ppsmc_h.PPSMC_MSG_GetSmuVersion(), smu_v13_0_0_ppsmc_h.PPSMC_MSG_SetDriverDramAddrHigh(),
            smu_v13_0_0_ppsmc_h.PPSMC_MSG_SetDriverDramAddrLow(), smu_v13_0_0_ppsmc_h.PPSMC_MSG_SetAllowedFeaturesMaskLow(),
            smu_v13_0_0_ppsmc_h.PPSMC_MSG_SetAllowedFeaturesMaskHigh(), smu_v13_0_0_ppsmc_h.PPSMC_MSG_EnableAllSmuFeatures(),
            smu_v13_0_0_ppsmc_h.PPSMC_MSG_Mode1Reset(), 0x004E2900);

    static final SmuMessages SMU_11_0_7 = new SmuMessages("smu_v11_0_7 (sienna_cichlid)",
            mp1(mp_11_0_h.class, 66), mp1(mp_11_0_h.class, 82), mp1(mp_11_0_h.class, 90),
            smu_v11_0_7_ppsmc_h.PPSMC_Result_OK(), smu_v11_0_7_ppsmc_h.PPSMC_Result_Failed(),
            smu_v11_0_7_ppsmc_h.PPSMC_Result_UnknownCmd(), smu_v11_0_7_ppsmc_h.PPSMC_Result_CmdRejectedPrereq(),
            smu_v11_0_7_ppsmc_h.PPSMC_Result_CmdRejectedBusy(), smu_v11_0_7_ppsmc_h.PPSMC_MSG_TestMessage(),
            smu_v11_0_7_ppsmc_h.PPSMC_MSG_GetSmuVersion(), smu_v11_0_7_ppsmc_h.PPSMC_MSG_SetDriverDramAddrHigh(),
            smu_v11_0_7_ppsmc_h.PPSMC_MSG_SetDriverDramAddrLow(), smu_v11_0_7_ppsmc_h.PPSMC_MSG_SetAllowedFeaturesMaskLow(),
            smu_v11_0_7_ppsmc_h.PPSMC_MSG_SetAllowedFeaturesMaskHigh(), smu_v11_0_7_ppsmc_h.PPSMC_MSG_EnableAllSmuFeatures(),
            smu_v11_0_7_ppsmc_h.PPSMC_MSG_Mode1Reset(), 0x003A1A00);

    static final SmuMessages SMU_11_0_0 = new SmuMessages("smu_v11_0 (navi10)",
            mp1(mp_11_0_h.class, 66), mp1(mp_11_0_h.class, 82), mp1(mp_11_0_h.class, 90),
            smu_v11_0_ppsmc_h.PPSMC_Result_OK(), smu_v11_0_ppsmc_h.PPSMC_Result_Failed(),
            smu_v11_0_ppsmc_h.PPSMC_Result_UnknownCmd(), smu_v11_0_ppsmc_h.PPSMC_Result_CmdRejectedPrereq(),
            smu_v11_0_ppsmc_h.PPSMC_Result_CmdRejectedBusy(), smu_v11_0_ppsmc_h.PPSMC_MSG_TestMessage(),
            smu_v11_0_ppsmc_h.PPSMC_MSG_GetSmuVersion(), smu_v11_0_ppsmc_h.PPSMC_MSG_SetDriverDramAddrHigh(),
            smu_v11_0_ppsmc_h.PPSMC_MSG_SetDriverDramAddrLow(), smu_v11_0_ppsmc_h.PPSMC_MSG_SetAllowedFeaturesMaskLow(),
            smu_v11_0_ppsmc_h.PPSMC_MSG_SetAllowedFeaturesMaskHigh(), smu_v11_0_ppsmc_h.PPSMC_MSG_EnableAllSmuFeatures(),
            -1, 0);

    /** Vega10's powerplay: no allowed-mask messages; EnableSmuFeatures takes the mask itself. */
    static final SmuMessages SMU_9_0 = new SmuMessages("powerplay (vega10 smu9)",
            mp1(mp_9_0_h.class, 66), mp1(mp_9_0_h.class, 82), mp1(mp_9_0_h.class, 90),
            vega10_ppsmc_h.PPSMC_Result_OK(), vega10_ppsmc_h.PPSMC_Result_Failed(),
            vega10_ppsmc_h.PPSMC_Result_UnknownCmd(), vega10_ppsmc_h.PPSMC_Result_CmdRejectedPrereq(),
            vega10_ppsmc_h.PPSMC_Result_CmdRejectedBusy(), vega10_ppsmc_h.PPSMC_MSG_TestMessage(),
            vega10_ppsmc_h.PPSMC_MSG_GetSmuVersion(), vega10_ppsmc_h.PPSMC_MSG_SetDriverDramAddrHigh(),
            vega10_ppsmc_h.PPSMC_MSG_SetDriverDramAddrLow(), -1, -1, vega10_ppsmc_h.PPSMC_MSG_EnableSmuFeatures(),
            -1, 0);

    private static Reg mp1(Class<?> header, int c2pmsg) {
        return HeaderFacts.of(header).reg("MP1_SMN_C2PMSG_" + c2pmsg);
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
