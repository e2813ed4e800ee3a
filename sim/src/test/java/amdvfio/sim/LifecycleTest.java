package amdvfio.sim;

import amdvfio.os.EventFd;
import amdvfio.os.Mapping;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.VfioException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PciDevice contract as the simulator fulfils it, idle cost and thread lifetime. */
class LifecycleTest {

    static final PciAddress AT = PciAddress.parse("0000:09:00.0");
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void shouldParkIdleEnginesInsteadOfSpinning() {
        SimControl card = bus.plug(AT, SimProfile.NAVI21, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI21)) {
            gpu.writeDeadbeef(0);
            List<Thread> threads = card.threads();
            assertEquals(4, threads.size(), "one thread per SDMA instance");
            assertTrue(RawGpu.await(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING), 2000), "states: "
                    + threads.stream().map(Thread::getState).toList());
        }
    }

    @Test
    void shouldLeaveNoThreadAfterTheLastClose() throws InterruptedException {
        SimControl card = bus.plug(AT, SimProfile.VEGA10, SimConfig.warm());
        List<Thread> threads;
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.VEGA10)) {
            gpu.writeDeadbeef(0);
            threads = card.threads();
            assertEquals(2, threads.size());
        }
        assertTrue(card.threads().isEmpty(), "the release halted the engines");
        assertTrue(card.awaitThreadsEnded(Duration.ofSeconds(10)), "their threads end by themselves");
        assertTrue(threads.stream().noneMatch(Thread::isAlive));
        assertTrue(card.isPresent(), "a closed device stays in its slot");
        try (var again = bus.open(AT)) {
            assertEquals(2, card.threads().size(), "engines restart on the next open");
            assertEquals(1, again.mmio(5).read32(SimProfile.VEGA10.sdmaRegister(0, SimProfile.VEGA10.sdmaRegs(0).f32Cntl) * 4L) & 1,
                    "release reset the device: F32 halted again");
        }
    }

    /** The kernel's remover signals REQ on its own thread and starts none; nor may the model's removal. */
    @Test
    void shouldStartNoThreadWhenAnOrderlyRemovalBegins() {
        SimControl card = bus.plug(AT, SimProfile.VEGA10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.VEGA10); EventFd req = EventFd.create("req")) {
            gpu.dev().enableIrq(IrqType.REQ, List.of(req));
            Set<Thread> before = cardThreads();
            card.requestRemoval();
            assertEquals(1, req.drain(), "the first REQ is signalled at once");
            assertEquals(before, cardThreads(), "no thread started by the removal");
        }
    }

    static Set<Thread> cardThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("amdvfio-sim") && t.getName().contains(AT.toString()))
                .collect(Collectors.toSet());
    }

    @Test
    void shouldNameAHandleLeftOpenWithTheCodeThatOpenedIt() {
        bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        var leaked = bus.open(AT);
        try (var closedInTime = bus.open(AT)) {
            assertEquals(2, bus.openHandles().size());
        }
        List<String> open = bus.openHandles();
        assertEquals(1, open.size(), open.toString());
        assertTrue(open.get(0).contains(AT.toString()) && open.get(0).contains("shouldNameAHandleLeftOpenWithTheCodeThatOpenedIt"),
                open.get(0));
        leaked.close();
        assertEquals(List.of(), bus.openHandles());
    }

    @Test
    void shouldDescribeBarsIrqsAndIdentityLikeVfioPci() {
        bus.plug(AT, SimProfile.NAVI31, SimConfig.warm().withSmallBar(true).withVram(2L << 30));
        try (var dev = bus.open(AT)) {
            assertEquals(0x1002, dev.vendorId());
            assertEquals(0x744C, dev.deviceId());
            assertEquals(0x1002, dev.config().vendorId());
            assertEquals(0x744C, dev.config().read16(2));
            assertEquals(0x03_0000, dev.config().read32(8) >>> 8, "class code VGA");
            assertEquals(9, dev.regionCount());
            assertEquals(256L << 20, dev.region(RegionInfo.BAR0).size());
            assertTrue(dev.region(RegionInfo.BAR0).mappable());
            assertEquals(2L << 20, dev.region(RegionInfo.BAR2).size());
            assertEquals(1L << 20, dev.region(RegionInfo.BAR5).size());
            assertFalse(dev.region(1).present(), "upper half of the 64-bit BAR0");
            assertTrue(dev.irqInfo(IrqType.MSI).available());
            assertTrue(dev.irqInfo(IrqType.REQ).available());
            assertTrue(dev.irqInfo(IrqType.ERR).available());
            assertFalse(dev.irqInfo(IrqType.MSIX).available());
            assertThrows(VfioException.class, () -> dev.mappable(5));
            assertFalse(dev.config().isBusMaster(), "bus mastering starts off");
        }
    }

    @Test
    void shouldMapBar0AsARealMmapOfTheVramMemfd() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        try (var dev = bus.open(AT)) {
            MappableRange r = dev.mappable(0);
            try (Mapping m = Mapping.map(r.fd(), r.offset(), 1 << 20)) {
                m.segment().set(ValueLayout.JAVA_INT, 0x100, 0x600DCAFE);
                assertEquals(0x600DCAFE, dev.mmio(0).read32(0x100));
                assertEquals(0x600DCAFE, card.vram().get(ValueLayout.JAVA_INT, 0x100));
            }
        }
    }

    @Test
    void shouldIgnoreMemoryAccessesWhileMemoryDecodeIsOff() {
        bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        try (var dev = bus.open(AT)) {
            dev.config().write16(4, 0);
            assertEquals(-1, dev.mmio(5).read32(0xDE3 * 4));
            dev.config().write16(4, 2);
            assertEquals(512, dev.mmio(5).read32(0xDE3 * 4));
        }
    }
}
