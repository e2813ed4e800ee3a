package amdvfio.sim.discovery;

import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.amdgpu.FixedRegs;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The discovery binary as amdgpu_discovery_init reads it, and the pre-discovery registers. */
class DiscoveryTableTest {

    static final PciAddress AT = PciAddress.parse("0000:0a:00.0");
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void shouldWriteSignaturesSizesAndByteSumChecksumsAsDiscoveryH() {
        byte[] bin = DiscoveryTable.build(SimProfile.NAVI21.ips());
        ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x28211407, b.getInt(0));
        assertEquals(1, b.getShort(4));
        assertEquals(bin.length, b.getShort(10) & 0xFFFF);
        assertEquals(DiscoveryTable.checksum(bin, 10, bin.length - 10), b.getShort(8) & 0xFFFF);
        int ipOff = b.getShort(12);
        assertEquals(0x40, ipOff);
        assertEquals(0x53445049, b.getInt(ipOff));
        int ipSize = b.getShort(ipOff + 6);
        assertEquals(ipSize, b.getShort(16), "table_info[IP_DISCOVERY].size");
        assertEquals(DiscoveryTable.checksum(bin, ipOff, ipSize), b.getShort(14) & 0xFFFF);
        assertEquals(1, b.getShort(ipOff + 12), "num_dies");
        int die = b.getShort(ipOff + 16);
        assertEquals(SimProfile.NAVI21.ips().size(), b.getShort(die + 2), "die_header.num_ips");
        // first IP: GC 10.3.0 with 4 bases
        assertEquals(11, b.getShort(die + 4));
        assertEquals(4, b.get(die + 7));
        assertEquals(10, b.get(die + 8));
        assertEquals(3, b.get(die + 9));
        assertEquals(0x1260, b.getInt(die + 12));
        assertEquals(0xA000, b.getInt(die + 16));
        for (int t = 1; t < 6; t++) {
            assertEquals(0, b.getShort(12 + 8 * t), "table " + t + " absent");
        }
    }

    @Test
    void shouldServeTheTableAtVramEndMinus64KiBReadableThroughMmIndexAndBar0() {
        SimConfig cfg = SimConfig.warm().withVram(1L << 30).withSmallBar(true);
        SimControl card = bus.plug(AT, SimProfile.NAVI10, cfg);
        try (PciDevice dev = bus.open(AT)) {
            Mmio regs = dev.mmio(5);
            assertEquals(1024, regs.read32(FixedRegs.RCC_CONFIG_MEMSIZE * 4L), "RCC_CONFIG_MEMSIZE in MiB");
            assertEquals(0x8000_0000, regs.read32(FixedRegs.MP0_C2PMSG_33 * 4L) & 0x8000_0000, "IFWI init complete");
            long at = (1L << 30) - (64 << 10);
            regs.write32(FixedRegs.MM_INDEX_HI * 4L, (int) (at >>> 31));
            regs.write32(FixedRegs.MM_INDEX * 4L, (int) ((at & 0x7FFF_FFFFL) | 0x8000_0000L));
            assertEquals(0x28211407, regs.read32(FixedRegs.MM_DATA * 4L));
            assertEquals(256L << 20, dev.mmio(0).size(), "small BAR window");
            assertNotEquals(0, card.vram().get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, at));
        }
    }

    @Test
    void shouldHaveNoTableOnVega10WhichUsesFixedBases() {
        SimControl card = bus.plug(AT, SimProfile.VEGA10, SimConfig.warm());
        try (PciDevice dev = bus.open(AT)) {
            long at = card.vram().byteSize() - (64 << 10);
            assertEquals(0, dev.mmio(0).read32(at));
            assertEquals(512, dev.mmio(5).read32(FixedRegs.RCC_CONFIG_MEMSIZE * 4L));
            assertEquals(0x1260 + 0x80, SimProfile.VEGA10.sdmaRegister(0, SimProfile.VEGA10.sdmaRegs(0).rbCntl));
            assertEquals(0x1460 + 0x80, SimProfile.VEGA10.sdmaRegister(1, SimProfile.VEGA10.sdmaRegs(1).rbCntl));
        }
    }

    @Test
    void shouldPlaceNavi21Sdma2And3InSegmentTwoAsSdmaV52() {
        assertEquals(0x70200 / 4, SimProfile.NAVI21.sdmaRegister(2, SimProfile.NAVI21.sdmaRegs(2).rbCntl));
        assertEquals(0x71200 / 4, SimProfile.NAVI21.sdmaRegister(3, SimProfile.NAVI21.sdmaRegs(3).rbCntl));
        assertEquals(0x6380 / 4, SimProfile.NAVI21.sdmaRegister(1, SimProfile.NAVI21.sdmaRegs(1).rbCntl));
    }
}
