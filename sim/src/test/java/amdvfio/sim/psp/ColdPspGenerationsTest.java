package amdvfio.sim.psp;

import static amdvfio.bindings.amdgpu.psp_gfx_if_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.bindings.amdgpu.amdgpu_psp_h;
import amdvfio.sim.SimProfile;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The cold PSP of Navi21 (psp_v11_0, 11.0.7), Navi10 (11.0.0) and Vega10 (psp_v3_1), driven by
 * raw register writes with the real firmware files: each generation's full sequence, and the
 * status it answers a skipped or foreign step with (spec amd-cold-boot.md §7, §9.2–§9.7).
 */
class ColdPspGenerationsTest {

    private static final int READY = 0x8000_0000;
    static final List<SimProfile> GENERATIONS = List.of(SimProfile.NAVI21, SimProfile.NAVI10, SimProfile.VEGA10);

    @ParameterizedTest
    @FieldSource("GENERATIONS")
    void theFullSequenceStartsTheSdmaFirmwareAndThePmfw(SimProfile p) {
        try (ColdPspRig rig = new ColdPspRig(p)) {
            assertFalse(rig.card.isWarm(), "withColdBoot makes a cold " + p);
            assertFalse(rig.card.smu().running());
            boot(rig);
            PspState s = rig.card.psp();
            assertTrue(s.sdmaFirmwareRunning(), s.toString());
            assertTrue(rig.card.smu().running(), "the PMFW answers once the PSP accepted its image");
            assertEquals(List.of(), s.refusals());
            assertEquals(rig.fw.bootSequence.stream().map(PspExpectations.BootStep::name).toList(), s.bootStepsDone());
        }
    }

    @ParameterizedTest
    @FieldSource("GENERATIONS")
    void anImageBeforeSetupTmrIsRefused(SimProfile p) {
        try (ColdPspRig rig = new ColdPspRig(p)) {
            rig.bootSos();
            assertEquals(READY, rig.createRing());
            if (rig.fw.toc != null) {
                assertEquals(PspStatus.OK, rig.loadToc());
            }
            assertEquals(PspStatus.BAD_ORDER, rig.loadIpFw(GFX_FW_TYPE_SDMA0(), rig.fw.checkedImages.get(GFX_FW_TYPE_SDMA0())));
            assertTrue(rig.card.psp().refusals().getLast().contains("before SETUP_TMR"), rig.card.psp().refusals().toString());
            assertFalse(rig.card.psp().sdmaFirmwareRunning());
        }
    }

    @Test
    void naviRefusesSetupTmrWithoutTheTocOrTheSmuImage() {
        try (ColdPspRig rig = new ColdPspRig(SimProfile.NAVI10)) {
            rig.bootSos();
            rig.createRing();
            assertEquals(PspStatus.BAD_ORDER, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true), "skipped LOAD_TOC");
            assertEquals(PspStatus.OK, rig.loadToc());
            assertEquals(PspStatus.BAD_ORDER, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true), "the SMU image first (pmfw-centralized)");
            assertFalse(rig.card.psp().tmrSetUp());
        }
    }

    @Test
    void vega10TakesNoTocAndNoAutoloadButItsFixedTmrAndTheSmuAfterIt() {
        try (ColdPspRig rig = new ColdPspRig(SimProfile.VEGA10)) {
            rig.bootSos();
            assertEquals(READY, rig.createRing());
            assertEquals(PspStatus.UNKNOWN_COMMAND, rig.submit(GFX_CMD_ID_LOAD_TOC(), c -> { }), "vega10_sos.bin has no TOC");
            assertEquals(PspStatus.BAD_PARAMETER, rig.setupTmr(ColdPspRig.TMR, 2L << 20, true), "smaller than PSP_TMR_SIZE");
            assertEquals(PspStatus.BAD_ORDER, rig.loadIpFw(GFX_FW_TYPE_SMU(), rig.fw.checkedImages.get(GFX_FW_TYPE_SMU())),
                    "not pmfw-centralized: the SMU image needs the TMR too");
            assertEquals(PspStatus.OK, rig.setupTmr(ColdPspRig.TMR, 4L << 20, true));
            assertEquals(PspStatus.UNKNOWN_COMMAND, rig.submit(GFX_CMD_ID_AUTOLOAD_RLC(), c -> { }), "psp_v3_1: no autoload");
        }
    }

    @Test
    void vega10TakesTheIhRerouteAndNavi10DoesNot() {
        try (ColdPspRig vega = new ColdPspRig(SimProfile.VEGA10)) {
            vega.bootSos();
            vega.wreg(vega.mb.c2pmsg69, IhReroute.VMC);
            vega.wreg(vega.mb.c2pmsg70, 0x7);
            vega.wreg(vega.mb.c2pmsg64, GFX_CTRL_CMD_ID_GBR_IH_SET());
            assertEquals(READY, vega.rreg(vega.mb.c2pmsg64));
            vega.wreg(vega.mb.c2pmsg69, 9);
            vega.wreg(vega.mb.c2pmsg64, GFX_CTRL_CMD_ID_GBR_IH_SET());
            assertEquals(READY | PspStatus.BAD_PARAMETER, vega.rreg(vega.mb.c2pmsg64), "only VMC (3) and UMC (4)");
            assertEquals(List.of(new IhReroute(IhReroute.VMC, 0x7, false)), vega.card.psp().ihReroutes());
        }
        try (ColdPspRig navi = new ColdPspRig(SimProfile.NAVI10)) {
            navi.bootSos();
            navi.wreg(navi.mb.c2pmsg69, IhReroute.VMC);
            navi.wreg(navi.mb.c2pmsg64, GFX_CTRL_CMD_ID_GBR_IH_SET());
            assertEquals(READY | PspStatus.UNKNOWN_COMMAND, navi.rreg(navi.mb.c2pmsg64));
        }
    }

    @Test
    void navi21TakesTheRealSplWhereNavi31TakesKdbBytes() {
        try (ColdPspRig rig = new ColdPspRig(SimProfile.NAVI21)) {
            MemorySegment kdb = rig.fw.bootSequence.get(0).payload();
            assertEquals(READY, rig.bootload(amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), kdb));
            assertEquals(READY | PspStatus.BAD_PAYLOAD, rig.bootload(amdgpu_psp_h.PSP_BL__LOAD_TOS_SPL_TABLE(), kdb),
                    "psp_v11_0 sends psp->spl (conflict C1)");
        }
    }

    /** psp_v11_0/psp_v3_1_mode1_reset: MODE1_RST on C2PMSG_64; the card drops off the bus and comes back cold. */
    @ParameterizedTest
    @FieldSource("GENERATIONS")
    void aPspMode1ResetLosesTheFirmwareAndTheTmr(SimProfile p) {
        try (ColdPspRig rig = new ColdPspRig(p)) {
            rig.card.mode1OfflineTime(java.time.Duration.ofHours(1));
            boot(rig);
            assertEquals(READY, rig.rreg(rig.mb.c2pmsg64), "the sOS is ready before the reset");
            rig.wreg(rig.mb.c2pmsg64, GFX_CTRL_CMD_ID_MODE1_RST());
            assertTrue(rig.card.isResetting(), "off the bus");
            assertEquals(0xFFFF_FFFF, rig.rreg(rig.mb.c2pmsg81), "registers read all ones meanwhile");
            assertEquals(1, rig.card.mode1Resets());
            PspState s = rig.card.psp();
            assertFalse(s.sosAlive() || s.tmrSetUp() || s.sdmaFirmwareRunning() || s.ringCreated(), s.toString());
            assertFalse(rig.card.smu().running(), "the PMFW is gone");
            assertEquals(0, rig.card.pciResets());
        }
    }

    /** The whole sequence as amdgpu orders it for the rig's generation (stand-in bytes for unchecked types). */
    private static void boot(ColdPspRig rig) {
        rig.bootSos();
        if (rig.fw.rerouteIh) {
            for (int client : new int[] {IhReroute.VMC, IhReroute.UMC}) {
                rig.wreg(rig.mb.c2pmsg69, client);
                rig.wreg(rig.mb.c2pmsg64, GFX_CTRL_CMD_ID_GBR_IH_SET());
                assertEquals(READY, rig.rreg(rig.mb.c2pmsg64));
            }
        }
        assertEquals(READY, rig.createRing());
        if (rig.fw.toc != null) {
            assertEquals(PspStatus.OK, rig.loadToc());
        }
        int smu = GFX_FW_TYPE_SMU();
        if (rig.fw.pmfwCentralized) {
            assertEquals(PspStatus.OK, rig.loadIpFw(smu, rig.fw.checkedImages.get(smu)));
        }
        assertEquals(PspStatus.OK, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true));
        for (int sdma : rig.fw.sdmaImages) {
            assertEquals(PspStatus.OK, rig.loadIpFw(sdma, rig.fw.checkedImages.get(sdma)));
        }
        if (!rig.fw.pmfwCentralized) {
            assertEquals(PspStatus.OK, rig.loadIpFw(smu, rig.fw.checkedImages.get(smu)));
        }
        if (rig.fw.autoloadNeeds != null) {
            assertEquals(PspStatus.OK, rig.loadIpFw(GFX_FW_TYPE_RLC_G(), ColdPspRig.blob(0x2000)));
            assertFalse(rig.card.psp().sdmaFirmwareRunning(), "loaded but not started before AUTOLOAD_RLC");
            assertEquals(PspStatus.OK, rig.submit(GFX_CMD_ID_AUTOLOAD_RLC(), c -> { }));
        }
    }
}
