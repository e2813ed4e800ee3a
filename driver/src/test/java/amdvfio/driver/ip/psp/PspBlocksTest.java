package amdvfio.driver.ip.psp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.Gpu;
import amdvfio.driver.firmware.FirmwareDirectory;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.firmware.IpFirmware;
import amdvfio.driver.firmware.RealFirmware;
import amdvfio.driver.firmware.Ucode;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.driver.ip.smu.SmuMailbox;
import amdvfio.driver.ip.smu.SmuMessages;
import amdvfio.driver.reset.CardPolicy;
import amdvfio.driver.reset.CardReport;
import amdvfio.driver.reset.CardState;
import amdvfio.driver.reset.CardWedgedException;
import amdvfio.driver.reset.ResetMethod;
import amdvfio.driver.reset.ResetOnInitBlock;
import amdvfio.driver.reset.RunMarkers;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.sim.psp.IhReroute;
import amdvfio.sim.psp.PspState;
import amdvfio.sim.psp.PspStatus;
import amdvfio.sim.psp.SimColdBoot;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every profile's PSP block boots a cold simulated card from the real firmware files — Navi21's
 * psp_v11_0 (11.0.7), Navi10's (11.0.0), Vega10's psp_v3_1 and Navi31's psp_v13_0 — after which
 * the SDMA firmware runs, the PMFW answers, and the existing bring-up passes its ring and IB
 * tests. Refusals of the simulated PSP (a wrong component order, a wrong payload, a skipped
 * LOAD_TOC) surface as {@link PspException} naming the step.
 *
 * <p>Gpu.open's card-state step resets a card whose sOS runs without this driver's run marker;
 * the tests that boot a card by hand before opening it leave the marker as a clean close would
 * ({@link RunMarkers}), so the open reuses the hand-booted card.
 */
class PspBlocksTest {

    private static final PciAddress AT = PciAddress.parse("0000:03:00.0");
    private static final Gpu.Options FAST = new Gpu.Options(Duration.ofSeconds(2), Duration.ofMillis(100),
            Duration.ofSeconds(2), 0x3fff00);
    static final List<SimProfile> ALL = List.of(SimProfile.NAVI31, SimProfile.NAVI21, SimProfile.NAVI10, SimProfile.VEGA10);
    static final List<SimProfile> WEDGES = List.of(SimProfile.NAVI10, SimProfile.VEGA10);
    static final List<SimProfile> PSP_V11_V3 = List.of(SimProfile.NAVI21, SimProfile.NAVI10, SimProfile.VEGA10);

    private final SimBus bus = new SimBus();
    private final List<AutoCloseable> open = new ArrayList<>();
    private DeviceContext lastCtx;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        bus.close();
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void aColdCardBootsThroughItsPspAndThenPassesTheRingAndIbTests(SimProfile p) {
        FirmwareSet fw = firmware(p);
        SimControl card = plugCold(p, SimColdBoot.at(RealFirmware.require(RealFirmware.manifest(p)).path()));
        PspBlock psp = bootPsp(p, fw);
        PspState s = card.psp();
        assertEquals(List.of(), s.refusals());
        assertTrue(s.sosAlive() && s.tmrSetUp() && s.sdmaFirmwareRunning(), s.toString());
        assertEquals(expectedLoads(p, fw), s.loadedTypes().size(), "every image the PSP takes reached it: " + s.loadedTypes());
        assertEquals(fw.sos().sosVersion(), psp.sosVersion(), "sOS version read back from C2PMSG_58");
        assertTrue(card.smu().running(), "the PMFW started when the PSP accepted the SMU image");
        RunMarkers.leaveClean(lastCtx);
        Gpu gpu = Gpu.open(bus.open(AT), FAST); // NBIO, GMC, IH, SMU, SDMA, then the ring and IB tests
        open.add(gpu);
        assertEquals(CardState.WARM_OURS, gpu.cardReport().found(), gpu.cardReport().note());
        assertTrue(gpu.smuReport().running());
    }

    /**
     * The whole pipeline: Gpu.open finds the card cold, reads the files, boots it through this
     * profile's PSP block in amdgpu's order and passes the ring and IB tests; the report names
     * every image loaded.
     */
    @ParameterizedTest
    @FieldSource("ALL")
    void gpuOpenBootsAColdCardOfEveryProfileThroughItsPsp(SimProfile p) {
        FirmwareSet fw = firmware(p);
        SimControl card = plugCold(p);
        Gpu gpu = Gpu.open(bus.open(AT), FAST);
        open.add(gpu);
        assertEquals(CardReport.Action.BOOT, gpu.bootReport().card().action(), gpu.bootReport().card().summary());
        assertEquals(List.of(), card.psp().refusals());
        assertTrue(card.psp().sdmaFirmwareRunning() && card.smu().running(), card.psp().toString());
        List<String> loaded = gpu.bootReport().firmware().stream().map(f -> f.ucode()).toList();
        assertTrue(loaded.contains("SOS") && loaded.contains("SMC") && loaded.stream().anyMatch(u -> u.startsWith("SDMA")),
                loaded.toString()); // SDMA0 (Vega10, Navi1x/2x) or SDMA_UCODE_TH0/TH1 (Navi31)
        assertEquals(fw.sos().sosVersion(), gpu.bootReport().firmware().getFirst().version(), "the sOS first, with its version");
    }

    @Test
    void navi21LoadsKdbThenTheRealSplThenSysDrvAndSos() {
        FirmwareSet fw = firmware(SimProfile.NAVI21);
        SimControl card = plugCold(SimProfile.NAVI21);
        PspBlock psp = bootPsp(SimProfile.NAVI21, fw);
        assertEquals(List.of("KDB", "SPL", "SYS_DRV", "SOS"), card.psp().bootStepsDone(), "psp_v11_0 sends psp->spl (C1)");
        assertEquals(List.of("KDB", "SPL", "SYS_DRV", "SOS", "KM ring create", "LOAD_TOC", "LOAD_IP_FW SMC", "SETUP_TMR"),
                names(psp).subList(0, 8), "pmfw-centralized: the SMU image before SETUP_TMR");
        assertEquals(names(psp).indexOf("LOAD_IP_FW RLC_G") + 1, names(psp).indexOf("AUTOLOAD_RLC"));
        assertEquals(0x210f64L, psp.sosVersion(), "sienna_cichlid_sos.bin ucode_version (spec §3.3)");
        assertEquals("psp_v11_0", psp.name());
        assertEquals("11.0.7", psp.mp0Version());
    }

    @Test
    void navi10HasNoSplSoItsBootloaderTakesKdbSysDrvAndSos() {
        FirmwareSet fw = firmware(SimProfile.NAVI10);
        SimControl card = plugCold(SimProfile.NAVI10);
        PspBlock psp = bootPsp(SimProfile.NAVI10, fw);
        assertEquals(List.of("KDB", "SYS_DRV", "SOS"), card.psp().bootStepsDone());
        assertTrue(names(psp).containsAll(List.of("LOAD_IP_FW SDMA0", "LOAD_IP_FW SDMA1")), names(psp).toString());
        assertEquals(0x100b50L, psp.sosVersion());
        assertEquals("11.0.0", psp.mp0Version());
    }

    @Test
    void vega10ReroutesTheIhBeforeTheRingAndUsesTheFixedTmrAndLoadsTheSmcInTheLoop() {
        FirmwareSet fw = firmware(SimProfile.VEGA10);
        SimControl card = plugCold(SimProfile.VEGA10);
        PspBlock psp = bootPsp(SimProfile.VEGA10, fw);
        assertEquals(List.of("SYS_DRV", "SOS"), card.psp().bootStepsDone());
        assertEquals(List.of("SYS_DRV", "SOS", "reroute IH", "KM ring create", "SETUP_TMR", "LOAD_IP_FW SDMA0",
                "LOAD_IP_FW SDMA1", "LOAD_IP_FW SMC"), names(psp), "no TOC, no autoload, the SMC after the SDMA images");
        assertEquals(4L << 20, psp.tmrSize(), "amdgpu's PSP_TMR_SIZE without a TOC");
        assertEquals(List.of(new IhReroute(IhReroute.VMC, PspIhReroute.vmcData(), false),
                new IhReroute(IhReroute.UMC, PspIhReroute.umcData(), false)), card.psp().ihReroutes());
        assertEquals(0x15244b, PspIhReroute.vmcData(), "psp_v3_1_reroute_ih: CREDIT_RETURN_ADDR 0x1244b, CLIENT_TYPE 1, RING_ID 1");
        assertEquals(0x11216b, PspIhReroute.umcData(), "psp_v3_1_reroute_ih: CREDIT_RETURN_ADDR 0x1216b, RING_ID 1");
        assertEquals(0x8025dL, psp.sosVersion());
        assertEquals("psp_v3_1", psp.name());
    }

    @Test
    void theFactoryPicksTheGenerationAndRefusesAnotherProfilesFirmware() {
        plugCold(SimProfile.NAVI10);
        DeviceContext ctx = context();
        GmcBlock gmc = new GmcBlock(ctx);
        assertInstanceOf(PspV11Block.class, PspBlocks.forProfile(ctx.profile(), ctx, gmc, firmware(SimProfile.NAVI10)).orElseThrow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PspBlocks.forProfile(ctx.profile(), ctx, gmc, firmware(SimProfile.VEGA10)));
        assertTrue(e.getMessage().contains("vega10") && e.getMessage().contains("navi10"), e.getMessage());
    }

    // ------------------------------------------------------------------ PSP mode1 reset

    /**
     * A card booted by another driver (here: this block, without the run marker) is warm-foreign;
     * the card-state step resets it through the PSP (GFX_CTRL_CMD_ID_MODE1_RST) on Navi10/Vega10 and
     * through the SMU on Navi21 (amdgpu's choice for a PMFW ≥ 58.26), the card comes back cold with
     * its firmware and TMR gone, and it boots again from the files.
     */
    @ParameterizedTest
    @FieldSource("PSP_V11_V3")
    void aWarmForeignCardIsResetByMode1AndThenBoots(SimProfile p) {
        FirmwareSet fw = firmware(p);
        SimControl card = plugCold(p);
        card.mode1OfflineTime(Duration.ofMillis(20));
        bootPsp(p, fw);
        assertTrue(card.isWarm() && card.psp().sdmaFirmwareRunning());
        DeviceContext ctx = context();
        ResetOnInitBlock reset = new ResetOnInitBlock(ctx, new SmuMailbox(ctx, SmuMessages.of(ctx.profile()), Duration.ofMillis(500)),
                CardPolicy.DEFAULT.withMode1Settle(Duration.ofMillis(10)));
        reset.swInit(); // classifies (reads only)
        reset.hwInit(); // resets
        CardReport r = reset.report();
        assertEquals(CardState.WARM_FOREIGN, r.found());
        assertEquals(p == SimProfile.NAVI21 ? ResetMethod.SMU_MODE1 : ResetMethod.PSP_MODE1, r.method(), r.summary());
        assertEquals(1, card.mode1Resets());
        assertEquals(0, card.pciResets());
        PspState after = card.psp();
        assertFalse(after.sosAlive() || after.tmrSetUp() || after.sdmaFirmwareRunning(), "firmware and TMR lost: " + after);
        assertFalse(card.smu().running(), "the PMFW is gone too");
        bootPsp(p, fw);
        assertEquals(List.of(), card.psp().refusals());
        assertTrue(card.psp().sdmaFirmwareRunning());
        RunMarkers.leaveClean(lastCtx);
        open.add(Gpu.open(bus.open(AT), FAST)); // ring and IB tests on the rebooted card
    }

    /** The reset bug is not something a PSP boot or a mode1 can undo: a wedged card is still refused with its message. */
    @ParameterizedTest
    @FieldSource("WEDGES")
    void aCardWedgedByAPciResetIsStillRefusedWithItsMessage(SimProfile p) {
        SimControl card = plugCold(p);
        bootPsp(p, firmware(p));
        card.pciResetAvailable(true);
        closeHandles(); // the last release resets the function (vfio-pci): the reset bug hits the warm card
        assertTrue(card.isWedged());
        CardWedgedException e = assertThrows(CardWedgedException.class,
                () -> Gpu.open(bus.open(AT), FAST, CardPolicy.DEFAULT.withBootloaderWait(Duration.ofMillis(100))));
        assertTrue(e.getMessage().contains("reset bug") && e.getMessage().contains("vendor-reset")
                && e.getMessage().contains("Power-cycle"), e.getMessage());
        assertEquals(0, card.mode1Resets(), "nothing a driver can do");
    }

    // ------------------------------------------------------------------ the modelled firmware delays

    /**
     * The PSP part of the cold boot with the modelled delays on — IFWI 100 ms after power-up (60–100 ms,
     * amdgpu_discovery.c) and 20 ms per bootloader and ring-control handshake (the mdelay(20) of
     * psp_v11_0/psp_v3_1) — and off. Logs the times (median of {@code -Damdvfio.pspBootReps}, default
     * 1); asserts only that the boot waits them out and succeeds.
     */
    @ParameterizedTest
    @FieldSource("ALL")
    void theBootWaitsOutTheModelledFirmwareDelays(SimProfile p) {
        FirmwareSet fw = firmware(p);
        int reps = Integer.getInteger("amdvfio.pspBootReps", 1);
        Path dir = RealFirmware.require(RealFirmware.manifest(p)).path();
        long off = medianBoot(p, fw, SimColdBoot.at(dir), reps);
        long on = medianBoot(p, fw, SimColdBoot.at(dir).withIfwiDelay(Duration.ofMillis(100)).withPspDelay(Duration.ofMillis(20)), reps);
        Logger.getLogger(getClass().getName()).info(() -> String.format("simulated %s PSP cold boot (%s): delays off %.1f ms,"
                + " IFWI 100 ms + PSP 20 ms on %.1f ms (median of %d)", p.name(), fw.sos().file().name(), off / 1e6, on / 1e6, reps));
    }

    private long medianBoot(SimProfile p, FirmwareSet fw, SimColdBoot cold, int reps) {
        long[] t = new long[reps];
        for (int i = 0; i < reps; i++) {
            SimControl card = plugCold(p, cold);
            long t0 = System.nanoTime(); // from power-up (the plug), so the IFWI wait counts
            bootPsp(p, fw);
            t[i] = System.nanoTime() - t0;
            assertTrue(card.psp().sdmaFirmwareRunning() && card.psp().refusals().isEmpty(), card.psp().toString());
            closeHandles();
            card.surpriseRemove(); // handles closed: the slot empties for the next rep
        }
        java.util.Arrays.sort(t);
        return t[reps / 2];
    }

    private void closeHandles() {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        open.clear();
    }

    // ------------------------------------------------------------------ refusals

    /** The block of another generation sends its components in an order this PSP refuses. */
    @ParameterizedTest
    @FieldSource("PSP_V11_V3")
    void aComponentOutOfOrderIsRefusedAtItsStep(SimProfile p) {
        SimControl card = plugCold(p);
        Function<PrepareArgs, PspBlock> wrong = p == SimProfile.VEGA10
                ? a -> new PspV11Block(a.ctx, a.gmc, firmware(SimProfile.NAVI10)) // KDB first, where psp_v3_1 wants SYS_DRV
                : a -> new PspV3Block(a.ctx, a.gmc, firmware(p)); // SYS_DRV first, where psp_v11_0 wants KDB
        PspException e = assertThrows(PspException.class, () -> prepare(wrong).hwInit());
        assertEquals(p == SimProfile.VEGA10 ? "KDB" : "SYS_DRV", e.step());
        assertEquals(PspStatus.BAD_ORDER, e.status(), e.getMessage());
        assertFalse(card.psp().sosAlive());
    }

    @ParameterizedTest
    @FieldSource("PSP_V11_V3")
    void anSdmaImageCutWronglyIsRefusedAtItsStep(SimProfile p) {
        FirmwareSet good = firmware(p);
        IpFirmware sdma0 = good.image(Ucode.SDMA0).orElseThrow();
        List<IpFirmware> images = new ArrayList<>();
        for (IpFirmware i : good.images()) {
            images.add(i.ucode() == Ucode.SDMA0
                    ? new IpFirmware(Ucode.SDMA0, i.file(), i.version(), sdma0.bytes().asSlice(0, sdma0.size() - 256)) : i);
        }
        SimControl card = plugCold(p);
        PspException e = assertThrows(PspException.class, () -> bootPsp(p, new FirmwareSet(good.manifest(), good.sos(), images)));
        assertEquals("LOAD_IP_FW SDMA0", e.step());
        assertEquals(PspStatus.BAD_PAYLOAD, e.status(), e.getMessage());
        assertFalse(card.psp().sdmaFirmwareRunning());
    }

    /** An sOS file whose TOC descriptor is blanked: the block skips LOAD_TOC, and a Navi PSP refuses the SETUP_TMR. */
    @ParameterizedTest
    @FieldSource("PSP_V11_V3")
    void aSkippedLoadTocIsRefusedAtSetupTmrOnNaviAndIsRightOnVega10(SimProfile p, @TempDir Path dir) throws IOException {
        FirmwareManifest m = RealFirmware.manifest(p);
        Path real = RealFirmware.require(m).path();
        for (String f : m.files()) {
            Files.copy(real.resolve(f), dir.resolve(f));
        }
        if (p != SimProfile.VEGA10) {
            blankTocDescriptor(dir.resolve(m.files().getFirst()));
        }
        FirmwareSet noToc = m.load(FirmwareDirectory.at(dir));
        SimControl card = plugCold(p, SimColdBoot.at(real));
        if (p == SimProfile.VEGA10) {
            bootPsp(p, noToc); // psp_v3_1 has no TOC: the fixed TMR is what it expects
            assertTrue(card.psp().sdmaFirmwareRunning());
            return;
        }
        PspException e = assertThrows(PspException.class, () -> bootPsp(p, noToc));
        assertEquals("SETUP_TMR", e.step());
        assertEquals(PspStatus.BAD_ORDER, e.status(), e.getMessage());
        assertTrue(card.psp().refusals().getLast().contains("before LOAD_TOC"), card.psp().refusals().toString());
        assertFalse(card.psp().tmrSetUp());
    }

    /** psp_firmware_header_v1_1.toc (offset 44) and v1_3 (the same place): size_bytes at +8 set to 0. */
    private static void blankTocDescriptor(Path sos) throws IOException {
        long tocSize = amdvfio.bindings.amdgpu.psp_firmware_header_v1_1.toc$offset()
                + amdvfio.bindings.amdgpu.psp_fw_legacy_bin_desc.size_bytes$offset();
        try (FileChannel ch = FileChannel.open(sos, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0), tocSize);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static int expectedLoads(SimProfile p, FirmwareSet fw) {
        return (int) fw.images().stream().filter(i -> !(p == SimProfile.NAVI21 && i.ucode() == Ucode.SDMA1)).count();
    }

    private static List<String> names(PspBlock psp) {
        return psp.steps().stream().map(PspBootStep::name).toList();
    }


    private static FirmwareSet firmware(SimProfile p) {
        return RealFirmware.manifest(p).load(RealFirmware.require(RealFirmware.manifest(p)));
    }

    private SimControl plugCold(SimProfile p) {
        return plugCold(p, SimColdBoot.at(RealFirmware.require(RealFirmware.manifest(p)).path()));
    }

    private SimControl plugCold(SimProfile p, SimColdBoot cold) {
        SimControl card = bus.plug(AT, p, SimConfig.defaults().withColdBoot(cold));
        card.pciResetAvailable(false); // a handle's release must not reset (and on Navi10/Vega10 wedge) the booted card
        return card;
    }

    private PspBlock bootPsp(SimProfile p, FirmwareSet fw) {
        PspBlock psp = prepare(a -> PspBlocks.forProfile(a.ctx.profile(), a.ctx, a.gmc, fw).orElseThrow());
        psp.hwInit();
        return psp;
    }

    private record PrepareArgs(DeviceContext ctx, GmcBlock gmc) {
    }

    /** A probe's worth of setup (identify, bases, GMC) on a new handle, then the PSP block's swInit. */
    private PspBlock prepare(Function<PrepareArgs, PspBlock> block) {
        DeviceContext ctx = context();
        GmcBlock gmc = new GmcBlock(ctx);
        gmc.swInit();
        gmc.hwInit();
        PspBlock psp = block.apply(new PrepareArgs(ctx, gmc));
        psp.swInit();
        return psp;
    }

    private DeviceContext context() {
        PciDevice dev = bus.open(AT);
        open.add(dev);
        lastCtx = ProbedContext.of(dev);
        return lastCtx;
    }
}
