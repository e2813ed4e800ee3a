package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.driver.boot.BootReport;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.RealFirmware;
import amdvfio.driver.reset.CardReport;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.RegionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cold card of every profile is booted inside {@code Gpu.open}; a removal at any boot stage must end like a
 * removal anywhere else in open: {@link DeviceLostException} (or a Gpu that tears itself down when
 * the loss is read after the probe's decision), the device released, nothing leaked, and the
 * kernel's removal held no longer than early fini. The stages are found in a clean cold open by
 * the register each one starts with — every bootloader command (C2PMSG_35), the KM ring create
 * (C2PMSG_64), every KM submission (C2PMSG_67: LOAD_TOC, each LOAD_IP_FW, SETUP_TMR,
 * AUTOLOAD_RLC), on Navi31 the RLC autoload wait (CP_STAT) and the GC hub enable after it — and each gets
 * the removal at its first access and half way through the firmware copy before it. Counted, not
 * timed: every run hits the same points.
 */
class ColdBootRemovalTest {

    private static final int[] MP0 = SimProfile.NAVI31.bases(HwIp.MP0);
    private static final int[] GC = SimProfile.NAVI31.bases(HwIp.GC);
    private static final PspMailboxRegs MB = PspMailboxRegs.MP_13_0_0;

    static Stream<Arguments> removals() {
        return SimProfile.ALL.stream().flatMap(p -> Stream.of(
                Arguments.of(p, "orderly removal (REQ)", (Consumer<SimControl>) SimControl::requestRemoval),
                Arguments.of(p, "surprise removal", (Consumer<SimControl>) SimControl::surpriseRemove),
                Arguments.of(p, "fatal AER", (Consumer<SimControl>) c -> c.aerError(true))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("removals")
    void aRemovalAtEveryBootStageEndsInDeviceLostWithNothingLeaked(SimProfile profile, String kind,
                                                                  Consumer<SimControl> removal) throws Exception {
        RealFirmware.require(RealFirmware.manifest(profile));
        try (UnplugRig rig = new UnplugRig(profile)) {
            Map<Integer, String> points = bootStages(rig);
            // the shortest boot, Vega10's: SYS_DRV, SOS, ring create, SETUP_TMR, SDMA0, SDMA1, SMC — each twice
            assertTrue(points.size() >= 2 * 7, "stages found: " + points.values());
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<Integer, String> p : points.entrySet()) {
                rig.replug();
                String outcome = RemovalDuringOpenSweepTest.openWithRemovalAt(rig, p.getKey(), removal);
                if (outcome != null) {
                    wrong.add(p.getValue() + " (access " + p.getKey() + "): " + outcome);
                }
            }
            assertEquals(List.of(), wrong, kind + " during a cold boot");
        }
    }

    @Test
    void theStagesAreFoundInACleanColdOpen() throws Exception {
        RealFirmware.require(FirmwareManifest.NAVI31);
        try (UnplugRig rig = new UnplugRig(SimProfile.NAVI31)) {
            List<String> stages = List.copyOf(bootStages(rig).values());
            for (String s : List.of("bootloader command 1", "bootloader command 4", "KM ring create", "KM submission 1",
                    "RLC autoload wait", "GC hub enable")) {
                assertTrue(stages.contains(s), s + " in " + stages);
            }
        }
    }

    /**
     * amdgpu enables the GC hub only after the RLC autoload completed (CP_STAT == 0 and
     * BOOTLOAD_COMPLETE, gfx_v11_0_hw_init). With the RLC busy for 20 ms after AUTOLOAD_RLC, every
     * GC hub write after it must find the autoload done; without the driver's wait the first one
     * would come at once.
     */
    @Test
    void theGcHubIsEnabledOnlyAfterTheRlcAutoloadCompleted() throws Exception {
        var fw = RealFirmware.require(FirmwareManifest.NAVI31);
        var config = UnplugRig.CONFIG.withColdBoot(amdvfio.sim.psp.SimColdBoot.at(fw.path()).withPspDelay(Duration.ofMillis(20)));
        try (UnplugRig rig = new UnplugRig(SimProfile.NAVI31, "0000:0b:00.0", config)) {
            int wptr = 4 * MB.c2pmsg67.address(MP0);
            int hub = 4 * VmHubRegs.GFXHUB_11_0.ptBaseLo.address(GC);
            int[] submissions = new int[1];
            List<String> early = new ArrayList<>();
            SimControl card = rig.card;
            TappedDevice dev = new TappedDevice(rig.bus.open(rig.at), (bar, offset, write, value) -> {
                if (bar == RegionInfo.BAR5 && write && offset == wptr) {
                    submissions[0]++;
                } else if (bar == RegionInfo.BAR5 && write && offset == hub && card.psp().autoloadDone()
                        && !card.psp().sdmaFirmwareRunning()) {
                    early.add("GC hub written after KM submission " + submissions[0] + " while the RLC still autoloads");
                }
            });
            try (Gpu g = Gpu.open(dev, UnplugRig.OPTS)) {
                assertTrue(g.bootReport().steps().stream().anyMatch(s -> s.step().equals("RLC autoload wait")));
            }
            assertEquals(List.of(), early);
        }
    }


    /** The PSP mailbox of the profile's MP0 (psp_v13_0, psp_v11_0, psp_v3_1 on MP0 9.0). */
    private static PspMailboxRegs mailbox(SimProfile p) {
        return switch (p.name()) {
            case "Navi31" -> PspMailboxRegs.MP_13_0_0;
            case "Vega10" -> PspMailboxRegs.MP_9_0;
            default -> PspMailboxRegs.MP_11_0;
        };
    }

    /**
     * Access index → stage, from one clean cold open of the card in the rig (which is then
     * re-plugged cold). The RLC autoload wait and the GC hub enable after it are Navi31's (GC 11).
     */
    private static Map<Integer, String> bootStages(UnplugRig rig) {
        int[] mp0 = rig.profile.bases(HwIp.MP0);
        PspMailboxRegs mb = mailbox(rig.profile);
        int bootloader = 4 * (mb.c2pmsg35.address(mp0));
        int ringControl = 4 * (mb.c2pmsg64.address(mp0));
        int wptr = 4 * (mb.c2pmsg67.address(mp0));
        boolean gc11 = rig.profile == SimProfile.NAVI31;
        int cpStat = gc11 ? 4 * PspMailboxRegs.GC11_CP_STAT.address(GC) : -1;
        int hub = gc11 ? 4 * VmHubRegs.GFXHUB_11_0.ptBaseLo.address(GC) : -1;
        Map<Integer, String> stages = new LinkedHashMap<>();
        AtomicInteger n = new AtomicInteger();
        int[] count = new int[3];
        boolean[] waited = new boolean[1];
        TappedDevice dev = new TappedDevice(rig.bus.open(rig.at), (bar, offset, write, value) -> {
            int i = n.incrementAndGet();
            if (bar != RegionInfo.BAR5) {
                return;
            }
            if (write && offset == bootloader) {
                stage(stages, i, "bootloader command " + ++count[0]);
            } else if (write && offset == ringControl && count[1] == 0) {
                count[1]++;
                stage(stages, i, "KM ring create");
            } else if (write && offset == wptr) {
                stage(stages, i, "KM submission " + ++count[2]);
            } else if (!write && offset == cpStat && !waited[0]) {
                waited[0] = true;
                stages.put(i, "RLC autoload wait");
            } else if (write && offset == hub && waited[0]) {
                stages.put(i, "GC hub enable");
            }
        });
        try (Gpu g = Gpu.open(dev, UnplugRig.OPTS)) {
            BootReport r = g.bootReport();
            assertEquals(CardReport.Action.BOOT, r.card().action(), "the rig's card starts cold");
        }
        return stages;
    }

    /** The stage's first access, and a point half way through the firmware copy that leads up to it. */
    private static void stage(Map<Integer, String> stages, int at, String name) {
        stages.put(at - 2000, "copy before " + name);
        stages.put(at, name);
    }
}
