package amdvfio.sim.reset;

import amdvfio.amdgpu.Reg;
import amdvfio.sim.RawGpu;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimPciDevice;
import amdvfio.sim.SimProfile;
import amdvfio.amdgpu.HwIp;
import amdvfio.sim.smu.SmuDialect;
import amdvfio.sim.smu.SmuProbe;
import amdvfio.vfio.ConfigSpace;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mode1 and PCI resets as spec amd-cold-boot.md §5.2 and §9.7/§9.8 describe them. */
class CardResetTest {

    static final PciAddress AT = PciAddress.parse("0000:0d:00.0");
    static final List<SimProfile> WEDGING = List.of(SimProfile.VEGA10, SimProfile.NAVI10);
    static final List<SimProfile> COLDING = List.of(SimProfile.NAVI21, SimProfile.NAVI31);
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    private SimControl warm(SimProfile p) {
        SimControl c = bus.plug(AT, p, SimConfig.warm());
        c.mode1OfflineTime(Duration.ofMillis(20));
        c.startWarm();
        return c;
    }

    private static int mp0(SimPciDevice dev, SimProfile p, Reg reg) {
        return dev.mmio(5).read32(reg.address(p.ip(HwIp.MP0).bases()) * 4L);
    }

    private static Reg c2pmsg35(SimProfile p) {
        return Mp0Mailbox.forMp0(p.ip(HwIp.MP0).major()).bootloader();
    }

    private static Reg c2pmsg81(SimProfile p) {
        return Mp0Mailbox.forMp0(p.ip(HwIp.MP0).major()).sosSignOfLife();
    }

    @Test
    void shouldDropOffTheBusOnSmuMode1AndComeBackCold() {
        SimControl c = warm(SimProfile.NAVI31);
        try (SimPciDevice dev = bus.open(AT)) {
            dev.config().setBusMaster(true);
            SmuProbe smu = new SmuProbe(dev, SimProfile.NAVI31);
            SmuDialect d = smu.dialect();
            smu.send(d.mode1Reset(), 0);
            assertEquals(d.results().ok(), smu.response(1), "the PMFW answers before it resets the card");
            assertTrue(c.isResetting());
            assertEquals(0xFFFF, dev.config().vendorId(), "off the bus: config space reads all ones");
            assertEquals(-1, smu.read(d.regular().response()), "and so do the registers");

            assertTrue(RawGpu.await(() -> !c.isResetting(), 5000));
            assertEquals(0x1002, dev.config().vendorId());
            assertEquals(0, dev.config().command(), "the command register is back at its power-up value");
            dev.config().setBusMaster(true);
            assertEquals(0, mp0(dev, SimProfile.NAVI31, c2pmsg81(SimProfile.NAVI31)), "no sOS after mode1");
            assertTrue((mp0(dev, SimProfile.NAVI31, c2pmsg35(SimProfile.NAVI31)) & (1 << 31)) != 0, "bootloader ready");
            assertFalse(c.isWarm());
            assertFalse(c.smu().running());
            smu.send(d.testMessage(), 0);
            assertEquals(0, smu.response(100), "no PMFW answers after the reset");
            assertEquals(1, c.mode1Resets());
        }
    }

    @Test
    void shouldAlsoResetThroughTheDebugMailbox() {
        SimControl c = warm(SimProfile.NAVI31);
        try (SimPciDevice dev = bus.open(AT)) {
            SmuProbe smu = new SmuProbe(dev, SimProfile.NAVI31);
            SmuDialect.Mailbox dbg = smu.dialect().debug();
            smu.write(dbg.response(), 0);
            smu.write(dbg.argument(), 0);
            smu.write(dbg.message(), SmuDialect.DEBUG_MODE1_RESET);
            assertEquals(1, smu.read(dbg.response()), "tinygrad polls C2PMSG_54 == 1");
            assertTrue(c.isResetting());
            assertTrue(RawGpu.await(() -> !c.isResetting(), 5000));
            assertFalse(c.isWarm());
        }
    }

    @ParameterizedTest
    @FieldSource("WEDGING")
    void shouldWedgeWhenAWarmCardIsPciReset(SimProfile p) {
        SimControl c = warm(p);
        try (SimPciDevice dev = bus.open(AT)) {
            dev.reset();
            assertTrue(c.isWedged());
            assertEquals(0x1002, dev.config().vendorId(), "a wedged card still answers on the bus");
            assertEquals(0, mp0(dev, p, c2pmsg35(p)) & (1 << 31), "the PSP bootloader never becomes ready");
            assertEquals(0, mp0(dev, p, c2pmsg81(p)));
            assertThrows(IllegalStateException.class, c::startWarm, "nothing boots a wedged card");
        }
        SimControl fresh = bus.slot(AT).replug();
        assertFalse(fresh.isWedged(), "a power cycle (a new card in the slot) is the cure");
    }

    @ParameterizedTest
    @FieldSource("WEDGING")
    void shouldNotWedgeACardThatIsAlreadyCold(SimProfile p) {
        SimControl c = bus.plug(AT, p, SimConfig.warm());
        try (SimPciDevice dev = bus.open(AT)) {
            dev.reset();
            assertFalse(c.isWedged());
            assertTrue((mp0(dev, p, c2pmsg35(p)) & (1 << 31)) != 0);
        }
    }

    @ParameterizedTest
    @FieldSource("COLDING")
    void shouldComeBackColdFromAPciResetOnNavi21AndNavi31(SimProfile p) {
        SimControl c = warm(p);
        try (SimPciDevice dev = bus.open(AT)) {
            dev.reset();
            assertFalse(c.isWedged());
            assertFalse(c.isWarm());
            assertEquals(1, c.pciResets());
        }
    }

    @Test
    void shouldWedgeOnReleaseWhenVfioResetsAWarmNavi10() {
        SimControl c = warm(SimProfile.NAVI10);
        bus.open(AT).close();
        assertTrue(c.isWedged(), "vfio-pci resets the function on release; on Navi10 that is the reset bug");
    }

    @Test
    void shouldKeepTheCardWarmAcrossReleaseWithoutAResetMethod() {
        SimControl c = warm(SimProfile.NAVI10);
        c.pciResetAvailable(false);
        try (SimPciDevice dev = bus.open(AT)) {
            VfioException e = assertThrows(VfioException.class, dev::reset);
            assertTrue(e.getMessage().contains("reset_method"), e.getMessage());
        }
        assertTrue(c.isWarm());
        assertFalse(c.isWedged());
        assertEquals(0, c.pciResets());
    }

    @Test
    void shouldDropConfigWritesWhileOffTheBus() {
        SimControl c = warm(SimProfile.NAVI31);
        c.mode1OfflineTime(Duration.ofSeconds(30));
        try (SimPciDevice dev = bus.open(AT)) {
            SmuProbe smu = new SmuProbe(dev, SimProfile.NAVI31);
            smu.send(smu.dialect().mode1Reset(), 0);
            smu.response(1);
            dev.config().write16(ConfigSpace.COMMAND, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_BUS_MASTER);
            assertEquals(0xFFFF, dev.config().command());
            assertEquals(-1, dev.mmio(5).read32(4L * amdvfio.amdgpu.FixedRegs.RCC_CONFIG_MEMSIZE));
        }
    }
}
