package amdvfio.driver.ip.gmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.amdgpu.VmHubRegs;
import amdvfio.driver.FirmwareNotRunningException;
import amdvfio.driver.Gpu;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.RealFirmware;
import amdvfio.driver.reset.CardReport;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.sim.gmc.GpuFault;
import amdvfio.sim.psp.SimColdBoot;
import amdvfio.vfio.PciAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A cold card's VM hubs, every profile: after Gpu.open each hub reads what amdgpu's
 * {@code *hub_v*_gart_enable} programs (AGP off, the system aperture over VRAM with its default
 * page, the L1 TLB on in advanced-driver mode with system access mode 3, the L2 cache on, the
 * VMID-0 context on), and without that programming the simulated hub refuses the ring test's
 * DMA, so the guarantee is the driver's, not the simulator's.
 */
class HubSetupTest {

    private static final PciAddress AT = PciAddress.parse("0000:05:00.0");
    private static final Gpu.Options FAST = new Gpu.Options(Duration.ofSeconds(2), Duration.ofMillis(100),
            Duration.ofMillis(300), 0x3fff00);
    static final List<SimProfile> ALL = List.of(SimProfile.NAVI31, SimProfile.NAVI21, SimProfile.NAVI10, SimProfile.VEGA10);

    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        GmcBlock.testSkipHubSetup = false;
        bus.close();
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void aColdOpenProgramsEveryHubAsAmdgpuDoes(SimProfile p) {
        SimControl card = plugCold(p);
        try (Gpu gpu = Gpu.open(bus.open(AT), FAST)) {
            assertEquals(CardReport.Action.BOOT, gpu.bootReport().card().action());
            long fb = card.fbBase();
            long fbEnd = fb + card.vram().byteSize() - 1;
            for (VmHubRegs hub : hubs(p)) {
                int[] bases = p.bases(hub.baseIp);
                String h = hub.name + ": ";
                assertEquals(fb >>> 18, u(card.peekRegister(hub.apertureLow.address(bases))), h + "aperture starts at VRAM");
                assertEquals(fbEnd >>> 18, u(card.peekRegister(hub.apertureHigh.address(bases))), h + "and ends with it");
                assertEquals(0xFFFFFFL, u(card.peekRegister(hub.agpBot.address(bases))), h + "AGP_BOT = 0xffffffffffff >> 24");
                assertEquals(0, card.peekRegister(hub.agpTop.address(bases)), h + "AGP_TOP = 0: AGP off");
                long defaultPage = u(card.peekRegister(hub.apertureDefaultLsb.address(bases))) << 12;
                assertTrue(defaultPage > 0 && defaultPage < card.vram().byteSize(), h + "default page in VRAM: " + defaultPage);
                int tlb = card.peekRegister(hub.l1TlbCntl.address(bases));
                assertEquals(1, hub.enableL1Tlb.get(tlb), h + "L1 TLB");
                assertEquals(3, hub.systemAccessMode.get(tlb), h + "SYSTEM_ACCESS_MODE");
                assertEquals(1, hub.advancedDriverModel.get(tlb), h + "advanced driver model");
                assertEquals(0, hub.unmappedAccess.get(tlb), h + "unmapped aperture access");
                if (hub.atcEnable != null) {
                    assertEquals(1, hub.atcEnable.get(tlb), h + "mmhub_v1_0 sets ATC_EN");
                }
                int l2 = card.peekRegister(hub.l2Cntl.address(bases));
                assertEquals(1, hub.enableL2Cache.get(l2), h + "L2 cache");
                assertEquals(hub.hubMajor == 1 ? 1 : 0, hub.l2FragmentProcessing.get(l2), h + "L2 fragment processing");
                assertEquals(1, hub.context1IdentityAccessMode.get(l2), h + "CONTEXT1_IDENTITY_ACCESS_MODE");
                if (hub.hubMajor > 1) {
                    assertEquals(1, hub.defaultPageOutToSystemMemory.get(l2), h + "default page out to system memory");
                }
                assertEquals(1, hub.enableContext.get(card.peekRegister(hub.context0Cntl.address(bases))), h + "VMID 0");
            }
        }
        assertEquals(List.of(), card.faults());
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void withTheHubSetupSkippedAColdCardsRingTestFailsWithAGpuFault(SimProfile p) {
        SimControl card = plugCold(p);
        GmcBlock.testSkipHubSetup = true;
        assertThrows(FirmwareNotRunningException.class, () -> Gpu.open(bus.open(AT), FAST).close());
        assertTrue(card.psp().sdmaFirmwareRunning(), "the boot itself succeeded: the hub is what failed");
        assertTrue(card.faults().stream().anyMatch(f -> f.client().startsWith("SDMA") && f.reason() == GpuFault.Reason.HUB_NOT_ENABLED),
                "SDMA refused by its cold hub: " + card.faults());
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void aWarmCardKeepsWhatTheVbiosLeftSoTheSwitchAloneDoesNotBreakIt(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        GmcBlock.testSkipHubSetup = true;
        try (Gpu gpu = Gpu.open(bus.open(AT), FAST)) {
            assertTrue(gpu.bootReport().card().action() != CardReport.Action.BOOT);
        }
        assertEquals(List.of(), card.faults());
    }

    private SimControl plugCold(SimProfile p) {
        FirmwareManifest m = switch (p.name()) {
            case "Navi31" -> FirmwareManifest.NAVI31;
            case "Navi21" -> FirmwareManifest.NAVI21;
            case "Navi10" -> FirmwareManifest.NAVI10;
            default -> FirmwareManifest.VEGA10;
        };
        SimControl card = bus.plug(AT, p, SimConfig.defaults().withColdBoot(SimColdBoot.at(RealFirmware.require(m).path())));
        card.pciResetAvailable(false); // the release must not reset (on Navi10/Vega10: wedge) the card under test
        return card;
    }

    private static List<VmHubRegs> hubs(SimProfile p) {
        return p.hub() == p.ihHub() ? List.of(p.hub()) : List.of(p.hub(), p.ihHub());
    }

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }
}
