package amdvfio.driver.ip.psp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.bindings.amdgpu.psp_gfx_if_h;
import amdvfio.driver.Gpu;
import amdvfio.driver.boot.BootReport;
import amdvfio.driver.boot.LoadedFirmware;
import amdvfio.driver.reset.CardPolicy;
import amdvfio.driver.reset.CardReport;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.firmware.IpFirmware;
import amdvfio.driver.firmware.RealFirmware;
import amdvfio.driver.firmware.Ucode;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.sim.psp.PspState;
import amdvfio.sim.psp.SimColdBoot;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Navi31 PSP block boots a cold simulated card from the real firmware files: the sOS
 * components, the KM ring, LOAD_TOC/SETUP_TMR, every LOAD_IP_FW and AUTOLOAD_RLC, after which
 * the card's SDMA firmware runs and the existing bring-up passes its ring and IB tests; without
 * it the same card fails the ring test. Refusals surface as {@link PspException} naming the step.
 */
class PspV13BlockTest {

    private static final PciAddress AT = PciAddress.parse("0000:03:00.0");
    private static final Gpu.Options FAST = new Gpu.Options(Duration.ofSeconds(2), Duration.ofMillis(100),
            Duration.ofSeconds(2), 0x3fff00);

    private final SimBus bus = new SimBus();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        bus.close();
    }

    @Test
    void coldNavi31BootsThroughThePspInsideGpuOpenAndThenPassesTheRingAndIbTests() {
        FirmwareSet fw = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        SimControl card = plugCold();
        Gpu gpu = Gpu.open(bus.open(AT), FAST); // ring + IB tests run inside open
        open.add(gpu);
        PspState s = card.psp();
        assertEquals(List.of(), s.refusals());
        assertTrue(s.sosAlive() && s.tmrSetUp() && s.autoloadDone() && s.sdmaFirmwareRunning(), s.toString());
        assertEquals(fw.images().size(), s.loadedTypes().size(), "every image reached the PSP: " + s.loadedTypes());
        BootReport r = gpu.bootReport();
        assertEquals(CardReport.Action.BOOT, r.card().action());
        List<String> steps = r.steps().stream().map(st -> st.block() + ": " + st.step()).toList();
        assertEquals(List.of("psp_v13_0: KDB", "psp_v13_0: SPL", "psp_v13_0: SYS_DRV", "psp_v13_0: SOS",
                "psp_v13_0: KM ring create", "psp_v13_0: LOAD_TOC", "psp_v13_0: LOAD_IP_FW SMC", "psp_v13_0: SETUP_TMR"),
                steps.subList(steps.indexOf("psp_v13_0: KDB"), steps.indexOf("psp_v13_0: SETUP_TMR") + 1));
        assertTrue(steps.indexOf("psp_v13_0: AUTOLOAD_RLC") < steps.indexOf("gfx_v11_0: RLC autoload wait")
                && steps.indexOf("gfx_v11_0: GC hub enable") < steps.indexOf("sdma_v6_0: hw_init"), steps.toString());
        assertTrue(steps.indexOf("ih_v6_0: hw_init") < steps.indexOf("psp_v13_0: KDB")
                && steps.indexOf("psp_v13_0: AUTOLOAD_RLC") < steps.indexOf("smu_v13_0_0: hw_init"), steps.toString());
        assertEquals(new LoadedFirmware("SOS", "psp_13_0_0_sos.bin", 0x310032L), r.firmware().getFirst(),
                "the sOS version read back from C2PMSG_58");
        assertTrue(r.firmware().contains(new LoadedFirmware("SMC", "smu_13_0_0.bin", 0x4e8000L)), r.firmware().toString());
        assertTrue(r.firmware().stream().anyMatch(f -> f.ucode().equals("SDMA_UCODE_TH0") && f.file().equals("sdma_6_0_0.bin")));
        assertTrue(r.smu().running(), "the PMFW the PSP loaded answers: " + r.smu());
        assertEquals(0x4e8000, r.smu().pmfwVersion());
        Logger.getLogger(getClass().getName()).info(() -> "simulated Navi31 cold boot through Gpu.open: "
                + r.total().toMillis() + " ms in " + r.steps().size() + " steps");
    }

    @Test
    void bootWaitsOutThePspsModelledHandshakeDelays() {
        FirmwareSet fw = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        SimControl card = bus.plug(AT, SimProfile.NAVI31, SimConfig.defaults().withColdBoot(
                SimColdBoot.at(RealFirmware.require(FirmwareManifest.NAVI31).path()).withPspDelay(Duration.ofMillis(20))));
        PspV13Block psp = bootPsp(fw);
        assertTrue(card.psp().sdmaFirmwareRunning(), card.psp().toString());
        long total = psp.steps().stream().mapToLong(PspBootStep::nanos).sum();
        Logger.getLogger(getClass().getName()).info(() -> "simulated Navi31 PSP cold boot with 20 ms PSP handshakes: "
                + total / 1_000_000 + " ms");
    }

    @Test
    void aCardRemovedBeforeThePspBootIsLostNotWarm() {
        FirmwareSet fw = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        SimControl card = plugCold();
        PspV13Block psp = prepare(fw);
        card.surpriseRemove(); // every read is now all ones, C2PMSG_81 included
        assertThrows(amdvfio.driver.DeviceLostException.class, psp::hwInit);
    }

    @Test
    void aCardLeftCleanlyByThisDriverIsReusedWithoutFirmwareFilesAndThePspIsNotTouched(@TempDir Path empty) {
        SimControl card = bus.plug(AT, SimProfile.NAVI31, SimConfig.warm());
        Gpu gpu = Gpu.open(bus.open(AT), FAST, CardPolicy.DEFAULT.withFirmwareDir(empty));
        open.add(gpu);
        BootReport r = gpu.bootReport();
        assertEquals(CardReport.Action.REUSE, r.card().action());
        assertEquals(List.of(), r.firmware());
        assertTrue(r.steps().stream().noneMatch(st -> st.block().equals("psp_v13_0") && !st.step().equals("hw_init")),
                r.steps().toString());
        assertEquals(0, card.mode1Resets());
    }

    @Test
    void anImageCutWronglyIsRefusedAtItsStep() {
        FirmwareSet good = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        IpFirmware th0 = good.image(Ucode.SDMA_UCODE_TH0).orElseThrow();
        List<IpFirmware> images = new ArrayList<>();
        for (IpFirmware i : good.images()) {
            images.add(i.ucode() == Ucode.SDMA_UCODE_TH1 ? new IpFirmware(Ucode.SDMA_UCODE_TH1, i.file(), i.version(), th0.bytes()) : i);
        }
        SimControl card = plugCold();
        PspException e = assertThrows(PspException.class,
                () -> bootPsp(new FirmwareSet(good.manifest(), good.sos(), images)));
        assertEquals("LOAD_IP_FW SDMA_UCODE_TH1", e.step());
        assertTrue(e.status() > 0, "the PSP's status: " + e.getMessage());
        assertFalse(card.psp().sdmaFirmwareRunning());
    }

    @Test
    void aCardWhoseSosAlreadyRunsIsRefusedAsWarm() {
        FirmwareSet fw = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        plugCold();
        bootPsp(fw);
        PspException e = assertThrows(PspException.class, () -> bootPsp(fw));
        assertTrue(e.getMessage().contains("already running") && e.getMessage().contains("warm"), e.getMessage());
    }

    @Test
    void aLoadBeforeTheSmuImageWouldBeRefusedSoTheBlockKeepsAmdgpusOrder() {
        FirmwareSet fw = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        assertEquals(psp_gfx_if_h.GFX_FW_TYPE_SMU(), fw.smu().ucode().fwType());
        assertEquals(Ucode.SMC, fw.images().getLast().ucode(), "SMC sorts last by AMDGPU_UCODE_ID; the block loads it first");
        plugCold();
        PspV13Block psp = bootPsp(fw);
        List<String> names = psp.steps().stream().map(PspBootStep::name).toList();
        assertTrue(names.indexOf("LOAD_IP_FW SMC") < names.indexOf("SETUP_TMR"));
        assertEquals(names.indexOf("LOAD_IP_FW RLC_G") + 1, names.indexOf("AUTOLOAD_RLC"));
    }

    private SimControl plugCold() {
        RealFirmware.require(FirmwareManifest.NAVI31);
        return bus.plug(AT, SimProfile.NAVI31, SimConfig.defaults()
                .withColdBoot(SimColdBoot.at(RealFirmware.require(FirmwareManifest.NAVI31).path())));
    }

    private PspV13Block bootPsp(FirmwareSet fw) {
        PspV13Block psp = prepare(fw);
        psp.hwInit();
        return psp;
    }

    /** A probe's worth of setup (identify, bases, GMC) on a new handle, then the PSP block's swInit. */
    private PspV13Block prepare(FirmwareSet fw) {
        PciDevice dev = bus.open(AT);
        open.add(dev);
        DeviceContext ctx = ProbedContext.of(dev);
        GmcBlock gmc = new GmcBlock(ctx);
        gmc.swInit();
        gmc.hwInit();
        PspV13Block psp = new PspV13Block(ctx, gmc, fw);
        psp.swInit();
        return psp;
    }
}
