package amdvfio.sim.psp;

import static amdvfio.bindings.amdgpu.psp_gfx_if_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.bindings.amdgpu.amdgpu_psp_h;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The cold Navi31's PSP (spec amd-cold-boot.md §9.1–§9.5), driven by raw register writes with
 * the real firmware files: the order and payloads it accepts, the status it answers a wrong one
 * with, and that SDMA firmware runs only after the full sequence.
 */
class ColdPspTest {

    private static final int READY = 0x8000_0000;

    @Test
    void fullSequenceBringsTheSdmaFirmwareUpOnlyAtAutoload() {
        try (ColdPspRig rig = new ColdPspRig()) {
            PspState s = rig.card.psp();
            assertTrue(s.cold() && s.ifwiReady() && !s.sosAlive() && !s.sdmaFirmwareRunning(), s.toString());
            assertEquals(0, rig.rreg(rig.mb.c2pmsg81), "no sOS on a cold card");
            rig.bootSos();
            assertEquals(rig.fw.sosVersion, Integer.toUnsignedLong(rig.rreg(rig.mb.c2pmsg58)), "sOS version in C2PMSG_58");
            assertTrue(rig.rreg(rig.mb.c2pmsg81) != 0, "sign of life");
            assertEquals(READY, rig.createRing());
            assertEquals(PspStatus.OK, rig.loadToc());
            assertEquals(rig.fw.tmrSize, rig.respTmrSize(), "LOAD_TOC answers the TMR size");
            assertEquals(PspStatus.OK, rig.loadIpFw(GFX_FW_TYPE_SMU(), rig.fw.checkedImages.get(GFX_FW_TYPE_SMU())));
            assertEquals(PspStatus.OK, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true));
            assertEquals(PspStatus.OK, rig.loadIpFw(GFX_FW_TYPE_SDMA_UCODE_TH0(), rig.fw.checkedImages.get(GFX_FW_TYPE_SDMA_UCODE_TH0())));
            assertEquals(PspStatus.OK, rig.loadIpFw(GFX_FW_TYPE_SDMA_UCODE_TH1(), rig.fw.checkedImages.get(GFX_FW_TYPE_SDMA_UCODE_TH1())));
            for (int t : new int[] {GFX_FW_TYPE_IMU_I(), GFX_FW_TYPE_IMU_D(), GFX_FW_TYPE_RLC_G()}) {
                assertEquals(PspStatus.OK, rig.loadIpFw(t, ColdPspRig.blob(0x2000)));
            }
            assertFalse(rig.card.psp().sdmaFirmwareRunning(), "loaded but not started before AUTOLOAD_RLC");
            assertEquals(PspStatus.OK, rig.submit(GFX_CMD_ID_AUTOLOAD_RLC(), c -> { }));
            s = rig.card.psp();
            assertTrue(s.autoloadDone() && s.sdmaFirmwareRunning(), s.toString());
            int status = readBootloadStatus(rig);
            assertTrue(PspMailboxRegs.GC11_BOOTLOAD_COMPLETE.isSet(status), "RLC_RLCS_BOOTLOAD_STATUS.BOOTLOAD_COMPLETE");
            assertEquals(List.of(), s.refusals());
        }
    }

    @Test
    void destroyTmrTakesTheSdmaFirmwareAway() {
        try (ColdPspRig rig = booted()) {
            assertEquals(PspStatus.OK, rig.submit(GFX_CMD_ID_DESTROY_TMR(), c -> { }));
            PspState s = rig.card.psp();
            assertFalse(s.sdmaFirmwareRunning(), "amdgpu unbind destroys the TMR and the SDMA firmware with it");
            assertEquals(Set.of(), s.loadedTypes());
            assertTrue(s.sosAlive(), "the sOS stays up (spec §2.7)");
        }
    }

    @Test
    void ifwiNotDoneMeansNoBootloader() {
        try (ColdPspRig rig = new ColdPspRig(Duration.ofHours(1))) {
            assertEquals(0, rig.rreg(rig.mb.c2pmsg33), "C2PMSG_33 bit 31 clear until IFWI is done");
            assertEquals(0, rig.rreg(rig.mb.c2pmsg35), "bootloader not ready");
            rig.bootload(amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), rig.fw.bootSequence.get(0).payload());
            assertEquals(List.of(), rig.card.psp().bootStepsDone(), "a command before IFWI is lost");
        }
    }

    @Test
    void theBootloaderIsBusyForItsDelayAfterEachCommand() {
        try (ColdPspRig rig = new ColdPspRig(SimColdBoot.at(ColdPspRig.FIRMWARE).withPspDelay(Duration.ofHours(1)))) {
            assertEquals(READY, rig.rreg(rig.mb.c2pmsg35), "ready before any command");
            assertEquals(0, rig.bootload(amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), rig.fw.bootSequence.get(0).payload()),
                    "bit 31 clear while the command runs: the driver must poll");
            assertEquals(List.of("KDB"), rig.card.psp().bootStepsDone());
        }
    }

    @Test
    void sosBeforeSysDriverIsRefusedAndTheSosStaysDown() {
        try (ColdPspRig rig = new ColdPspRig()) {
            PspExpectations.BootStep sos = rig.fw.bootSequence.get(3);
            assertEquals(READY | PspStatus.BAD_ORDER, rig.bootload(sos.command(), sos.payload()));
            assertEquals(0, rig.rreg(rig.mb.c2pmsg81));
            assertFalse(rig.card.psp().sosAlive());
        }
    }

    @Test
    void skippedSplSlotIsRefused() {
        try (ColdPspRig rig = new ColdPspRig()) {
            assertEquals(READY, rig.bootload(amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), rig.fw.bootSequence.get(0).payload()));
            PspExpectations.BootStep sys = rig.fw.bootSequence.get(2);
            assertEquals(READY | PspStatus.BAD_ORDER, rig.bootload(sys.command(), sys.payload()));
            assertEquals(List.of("KDB"), rig.card.psp().bootStepsDone());
        }
    }

    @Test
    void wrongPayloadIsRefused() {
        try (ColdPspRig rig = new ColdPspRig()) {
            MemorySegment sysDrv = rig.fw.bootSequence.get(2).payload();
            assertEquals(READY | PspStatus.BAD_PAYLOAD, rig.bootload(amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), sysDrv));
            assertTrue(rig.card.psp().refusals().get(0).contains("not the sOS file's KDB"), rig.card.psp().refusals().toString());
        }
    }

    @Test
    void ringControlBeforeTheSosGetsNoAnswer() {
        try (ColdPspRig rig = new ColdPspRig()) {
            assertEquals(0x20000, rig.createRing(), "bit 31 never set: amdgpu's psp_v13_0_ring_create times out");
            assertFalse(rig.card.psp().ringCreated());
        }
    }

    @Test
    void setupTmrBeforeTheSmuImageIsRefused() {
        try (ColdPspRig rig = new ColdPspRig()) {
            rig.bootSos();
            rig.createRing();
            assertEquals(PspStatus.BAD_ORDER, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true), "before LOAD_TOC");
            assertEquals(PspStatus.OK, rig.loadToc());
            assertEquals(PspStatus.BAD_ORDER, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true), "before the SMU image");
            assertEquals(PspStatus.OK, rig.loadIpFw(GFX_FW_TYPE_SMU(), rig.fw.checkedImages.get(GFX_FW_TYPE_SMU())));
            assertEquals(PspStatus.BAD_PARAMETER, rig.setupTmr(ColdPspRig.TMR + 0x1000, rig.fw.tmrSize, true), "not 1 MiB aligned");
            assertEquals(PspStatus.BAD_PARAMETER, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize - 0x100000, true), "smaller than LOAD_TOC said");
            assertEquals(PspStatus.BAD_PARAMETER, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, false), "no physical address");
            assertEquals(PspStatus.OK, rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true));
        }
    }

    @Test
    void loadIpFwChecksOrderTypeAndImage() {
        try (ColdPspRig rig = new ColdPspRig()) {
            rig.bootSos();
            rig.createRing();
            MemorySegment th0 = rig.fw.checkedImages.get(GFX_FW_TYPE_SDMA_UCODE_TH0());
            assertEquals(PspStatus.BAD_ORDER, rig.loadIpFw(GFX_FW_TYPE_SDMA_UCODE_TH0(), th0), "before SETUP_TMR");
            rig.loadToc();
            rig.loadIpFw(GFX_FW_TYPE_SMU(), rig.fw.checkedImages.get(GFX_FW_TYPE_SMU()));
            rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true);
            assertEquals(PspStatus.UNSUPPORTED_TYPE, rig.loadIpFw(GFX_FW_TYPE_SDMA0(), th0), "SDMA v4/v5 type on SDMA 6");
            assertEquals(PspStatus.BAD_PAYLOAD, rig.loadIpFw(GFX_FW_TYPE_SDMA_UCODE_TH0(), th0.asSlice(0, th0.byteSize() - 0x100)),
                    "a truncated image");
            assertEquals(PspStatus.BAD_PAYLOAD, rig.loadIpFw(GFX_FW_TYPE_SDMA_UCODE_TH1(), th0), "TH0's bytes as TH1");
            assertEquals(PspStatus.UNKNOWN_COMMAND, rig.submit(0x7E, c -> { }));
            assertEquals(PspStatus.BAD_ORDER, rig.submit(GFX_CMD_ID_AUTOLOAD_RLC(), c -> { }), "no RLC/IMU yet");
            assertFalse(rig.card.psp().sdmaFirmwareRunning());
        }
    }

    @Test
    void kmRingWrapsAndEveryFrameGetsItsFence() {
        try (ColdPspRig rig = new ColdPspRig()) {
            rig.bootSos();
            rig.createRing();
            int frames = ColdPspRig.RING_BYTES / 64 + 10; // past the end of the 4 KiB ring (amdgpu wraps, C5)
            for (int i = 0; i < frames; i++) {
                assertEquals(PspStatus.OK, rig.loadToc(), "frame " + i);
            }
            assertEquals(frames, rig.card.psp().framesProcessed());
            assertEquals(READY | PspStatus.BAD_ORDER, rig.createRing(), "a second ring without DESTROY_RINGS");
            rig.wreg(rig.mb.c2pmsg64, GFX_CTRL_CMD_ID_DESTROY_RINGS());
            assertEquals(READY, rig.rreg(rig.mb.c2pmsg64));
            assertFalse(rig.card.psp().ringCreated());
        }
    }

    @Test
    void lastCloseResetsTheCardToCold() {
        ColdPspRig rig = booted();
        try {
            rig.dev.close();
            PspState s = rig.card.psp();
            assertFalse(s.sosAlive() || s.sdmaFirmwareRunning(), "vfio release resets the device: firmware gone");
            assertEquals(List.of(), s.bootStepsDone());
        } finally {
            rig.bus.close();
        }
    }

    @Test
    void warmCardReportsRunningFirmware() {
        try (var bus = new amdvfio.sim.SimBus()) {
            var card = bus.plug(amdvfio.vfio.PciAddress.parse("0000:03:00.0"), amdvfio.sim.SimProfile.NAVI31,
                    amdvfio.sim.SimConfig.warm());
            assertFalse(card.psp().cold());
            assertTrue(card.psp().sdmaFirmwareRunning());
        }
    }

    @Test
    void theDefaultNavi31IsColdWhenTheFilesAreInstalledAndTheOtherProfilesWarm() {
        Assumptions.assumeTrue(amdvfio.sim.SimConfig.systemColdBoot() != null, "no firmware files installed");
        try (var bus = new amdvfio.sim.SimBus()) {
            var navi31 = bus.plug(amdvfio.vfio.PciAddress.parse("0000:03:00.0"), amdvfio.sim.SimProfile.NAVI31,
                    amdvfio.sim.SimConfig.defaults());
            assertTrue(navi31.psp().cold());
            assertFalse(navi31.psp().sdmaFirmwareRunning());
            assertFalse(navi31.smu().running(), "no PMFW until the PSP loads it");
            var navi10 = bus.plug(amdvfio.vfio.PciAddress.parse("0000:04:00.0"), amdvfio.sim.SimProfile.NAVI10,
                    amdvfio.sim.SimConfig.defaults());
            assertFalse(navi10.psp().cold(), "no cold model for Navi10 yet: the default stays warm");
            assertTrue(bus.slot(amdvfio.vfio.PciAddress.parse("0000:03:00.0")).replug().psp().cold(), "a re-plug is cold again");
        }
    }

    @Test
    void theSmuAnswersOnlyOnceThePspAcceptedItsImage() {
        try (ColdPspRig rig = new ColdPspRig()) {
            rig.bootSos();
            assertEquals(READY, rig.createRing());
            assertEquals(PspStatus.OK, rig.loadToc());
            assertFalse(rig.card.smu().running(), "a cold card's PMFW does not run before LOAD_IP_FW SMU");
            assertEquals(PspStatus.OK, rig.loadIpFw(GFX_FW_TYPE_SMU(), rig.fw.checkedImages.get(GFX_FW_TYPE_SMU())));
            assertTrue(rig.card.smu().running());
            assertEquals(rig.card.smu().dialect().pmfwVersion(), rig.card.smu().pmfwVersion());
        }
    }

    static ColdPspRig booted() {
        ColdPspRig rig = new ColdPspRig();
        rig.bootSos();
        rig.createRing();
        rig.loadToc();
        rig.loadIpFw(GFX_FW_TYPE_SMU(), rig.fw.checkedImages.get(GFX_FW_TYPE_SMU()));
        rig.setupTmr(ColdPspRig.TMR, rig.fw.tmrSize, true);
        rig.loadIpFw(GFX_FW_TYPE_SDMA_UCODE_TH0(), rig.fw.checkedImages.get(GFX_FW_TYPE_SDMA_UCODE_TH0()));
        rig.loadIpFw(GFX_FW_TYPE_SDMA_UCODE_TH1(), rig.fw.checkedImages.get(GFX_FW_TYPE_SDMA_UCODE_TH1()));
        for (int t : new int[] {GFX_FW_TYPE_IMU_I(), GFX_FW_TYPE_IMU_D(), GFX_FW_TYPE_RLC_G()}) {
            rig.loadIpFw(t, ColdPspRig.blob(0x2000));
        }
        assertEquals(PspStatus.OK, rig.submit(GFX_CMD_ID_AUTOLOAD_RLC(), c -> { }));
        assertTrue(rig.card.psp().sdmaFirmwareRunning());
        return rig;
    }

    private static int readBootloadStatus(ColdPspRig rig) {
        // GC segment 1 of the simulated Navi31 (discovery) + the generated offset
        int gcSeg1 = rig.card.profile().bases(amdvfio.amdgpu.HwIp.GC)[1];
        return rig.dev.mmio(5).read32(4L * (gcSeg1 + PspMailboxRegs.GC11_RLC_BOOTLOAD_STATUS.offset()));
    }

}
