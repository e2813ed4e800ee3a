package amdvfio.sim.smu;

import amdvfio.amdgpu.HeaderFacts;
import amdvfio.amdgpu.Reg;
import amdvfio.bindings.amdgpu.mp_11_0_h;
import amdvfio.bindings.amdgpu.mp_13_0_0_h;
import amdvfio.bindings.amdgpu.mp_9_0_h;
import amdvfio.bindings.amdgpu.smu_v11_0_7_ppsmc_h;
import amdvfio.bindings.amdgpu.smu_v11_0_ppsmc_h;
import amdvfio.bindings.amdgpu.smu_v13_0_0_ppsmc_h;
import amdvfio.bindings.amdgpu.vega10_ppsmc_h;

/**
 * What one PMFW generation understands: where its mailboxes are (MP1 registers of
 * {@code mp_*_offset.h}), its message ids ({@code *_ppsmc.h}, which differ between generations:
 * SetDriverDramAddrHigh is 0x9 on Vega10 and 0xE on SMU 11/13), its response codes and the PMFW
 * version the Debian firmware file carries (spec amd-cold-boot.md §3.3). Every number comes from
 * the generated bindings; -1 means "this PMFW has no such message".
 *
 * @param name            MP1 version, for messages
 * @param regular         the driver mailbox: C2PMSG_66 message, 82 argument, 90 response
 *                        ({@code smu_v13_0.c}, {@code smu_v11_0.c}, {@code smu9_smumgr.c})
 * @param debug           the debug mailbox, C2PMSG_75/53/54 ({@code smu_v13_0_0_ppt.c:86-95}); null
 *                        where amdgpu uses none
 * @param results         the PPSMC_Result_* codes
 * @param allowedMaskLow  SetAllowedFeaturesMaskLow (-1 on Vega10, whose EnableSmuFeatures takes the mask)
 * @param enableFeatures  EnableAllSmuFeatures, or Vega10's EnableSmuFeatures(mask)
 * @param mode1Reset      Mode1Reset, or -1 (SMU 11.0.0 and Vega10 have none: they reset through the PSP)
 * @param pmfwVersion     what GetSmuVersion answers with the Debian file loaded (spec §3.3 ucode_version)
 * @param rasMode1Version the first PMFW that accepts the RAS-fatal mode1 parameter (1 << 16), or 0
 *                        ({@code smu_v13_0_0_ppt.c}: 78.77 = 0x004E4D00 on 13.0.0)
 */
public record SmuDialect(String name, Mailbox regular, Mailbox debug, Results results, int testMessage,
                         int getSmuVersion, int setDriverDramAddrHigh, int setDriverDramAddrLow,
                         int allowedMaskLow, int allowedMaskHigh, int enableFeatures, int disableFeatures,
                         int prepareMp1ForUnload, int mode1Reset, int pmfwVersion, int rasMode1Version) {

    /** Three MP1 registers that form one mailbox. */
    public record Mailbox(Reg message, Reg argument, Reg response) {

        static Mailbox of(Class<?> header, int message, int argument, int response) {
            HeaderFacts h = HeaderFacts.of(header);
            return new Mailbox(h.reg("MP1_SMN_C2PMSG_" + message), h.reg("MP1_SMN_C2PMSG_" + argument),
                    h.reg("MP1_SMN_C2PMSG_" + response));
        }
    }

    /** The PPSMC_Result_* codes (identical in every ppsmc header, read from each anyway). */
    public record Results(int ok, int failed, int unknownCmd, int rejectedPrereq, int rejectedBusy) {
    }

    /**
     * The debug mailbox's mode1 message. amdgpu defines {@code DEBUGSMC_MSG_Mode1Reset 2} only in
     * {@code smu_v13_0_0_ppt.c:95} (for MP1 13.0.10), tinygrad sends it on 13.0.0 too (spec §8 C2);
     * the 13.0.0 header names the same id GetDebugData, which is where the value is taken from.
     */
    public static final int DEBUG_MODE1_RESET = smu_v13_0_0_ppsmc_h.DEBUGSMC_MSG_GetDebugData();
    public static final int DEBUG_TEST_MESSAGE = smu_v13_0_0_ppsmc_h.DEBUGSMC_MSG_TestMessage();

    /** Navi31: MP1 13.0.0, PMFW 78.128.0 in smu_13_0_0.bin; accepts the RAS-fatal mode1 from 78.77. */
    public static final SmuDialect SMU_13_0_0 = read("MP1 13.0.0", mp_13_0_0_h.class, smu_v13_0_0_ppsmc_h.class, true,
            0x004E8000, 0x004E4D00);
    /** Navi21: MP1 11.0.7, sienna_cichlid_smc.bin. */
    public static final SmuDialect SMU_11_0_7 = read("MP1 11.0.7", mp_11_0_h.class, smu_v11_0_7_ppsmc_h.class, false,
            0x003A5A00, 0);
    /** Navi10: MP1 11.0.0, navi10_smc.bin; no Mode1Reset message. */
    public static final SmuDialect SMU_11_0_0 = read("MP1 11.0.0", mp_11_0_h.class, smu_v11_0_ppsmc_h.class, false,
            0x002A4000, 0);
    /** Vega10: MP1 9.0 (powerplay smu9), vega10_smc.bin; EnableSmuFeatures takes the feature mask. */
    public static final SmuDialect SMU_9_0 = read("MP1 9.0", mp_9_0_h.class, vega10_ppsmc_h.class, false, 0x001C3900, 0);

    /** A dialect from {@code mp}'s mailbox offsets and {@code ppsmc}'s codes and ids, by their kernel names. */
    private static SmuDialect read(String name, Class<?> mp, Class<?> ppsmc, boolean debugMailbox, int pmfwVersion,
                                   int rasMode1Version) {
        HeaderFacts p = HeaderFacts.of(ppsmc);
        Results results = new Results(result(p, "OK"), result(p, "Failed"), result(p, "UnknownCmd"),
                result(p, "CmdRejectedPrereq"), result(p, "CmdRejectedBusy"));
        return new SmuDialect(name, Mailbox.of(mp, 66, 82, 90), debugMailbox ? Mailbox.of(mp, 75, 53, 54) : null, results,
                message(p, "TestMessage"), message(p, "GetSmuVersion"), message(p, "SetDriverDramAddrHigh"),
                message(p, "SetDriverDramAddrLow"), message(p, "SetAllowedFeaturesMaskLow"),
                message(p, "SetAllowedFeaturesMaskHigh"),
                p.has("PPSMC_MSG_EnableAllSmuFeatures") ? message(p, "EnableAllSmuFeatures") : message(p, "EnableSmuFeatures"),
                p.has("PPSMC_MSG_DisableAllSmuFeatures") ? message(p, "DisableAllSmuFeatures") : message(p, "DisableSmuFeatures"),
                message(p, "PrepareMp1ForUnload"), message(p, "Mode1Reset"), pmfwVersion, rasMode1Version);
    }

    private static int result(HeaderFacts p, String name) {
        return (int) p.constant("PPSMC_Result_" + name);
    }

    /** A message id, or -1 when this PMFW has none of that name. */
    private static int message(HeaderFacts p, String name) {
        return p.has("PPSMC_MSG_" + name) ? (int) p.constant("PPSMC_MSG_" + name) : -1;
    }

    /** The dialect of an MP1 IP version (major.minor.revision from the profile's IP list). */
    public static SmuDialect forMp1(int major, int minor, int revision) {
        return switch (major * 10000 + minor * 100 + revision) {
            case 130000 -> SMU_13_0_0;
            case 110007 -> SMU_11_0_7;
            case 110000 -> SMU_11_0_0;
            case 90000 -> SMU_9_0;
            default -> throw new IllegalArgumentException(
                    "no simulated PMFW for MP1 " + major + "." + minor + "." + revision);
        };
    }
}
