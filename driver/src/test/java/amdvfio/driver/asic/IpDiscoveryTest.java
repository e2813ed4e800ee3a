package amdvfio.driver.asic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.SdmaIp;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** A discovery binary laid out by hand from include/discovery.h. */
class IpDiscoveryTest {

    private static final int IP_TABLE = 0x40;
    private static final int DIE = 0x100;

    /** binary_header + ip_discovery_header + one die with GC (2 bases), SDMA0 and an IP we ignore. */
    static byte[] table(boolean corrupt) {
        ByteBuffer b = ByteBuffer.allocate(IpDiscovery.TMR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, IpDiscovery.BINARY_SIGNATURE);
        b.putShort(4, (short) 1);
        int die = DIE;
        b.putShort(die, (short) 0);
        b.putShort(die + 2, (short) 3);
        int at = die + 4;
        at = ip(b, at, 11, 0, new int[] {0x1260, 0xA000}, 10, 3, 0);
        at = ip(b, at, 42, 0, new int[] {0x1260}, 5, 2, 0);
        at = ip(b, at, 99, 0, new int[] {0x1234, 0x5678, 0x9abc}, 1, 0, 0);
        int binarySize = at;
        b.putInt(IP_TABLE, IpDiscovery.IP_TABLE_SIGNATURE);
        b.putShort(IP_TABLE + 4, (short) 1);
        int ipTableSize = binarySize - IP_TABLE;
        b.putShort(IP_TABLE + 6, (short) ipTableSize);
        b.putShort(IP_TABLE + 12, (short) 1);
        b.putShort(IP_TABLE + 14, (short) 0);
        b.putShort(IP_TABLE + 16, (short) DIE);
        b.putShort(12, (short) IP_TABLE);
        b.putShort(14, (short) IpDiscovery.checksum(MemorySegment.ofArray(b.array()), IP_TABLE, ipTableSize));
        b.putShort(10, (short) binarySize);
        b.putShort(8, (short) IpDiscovery.checksum(MemorySegment.ofArray(b.array()), 10, binarySize - 10));
        if (corrupt) {
            b.put(die + 12, (byte) 0x77);
        }
        return b.array();
    }

    private static int ip(ByteBuffer b, int at, int hwId, int instance, int[] bases, int major, int minor, int rev) {
        b.putShort(at, (short) hwId);
        b.put(at + 2, (byte) instance);
        b.put(at + 3, (byte) bases.length);
        b.put(at + 4, (byte) major);
        b.put(at + 5, (byte) minor);
        b.put(at + 6, (byte) rev);
        for (int i = 0; i < bases.length; i++) {
            b.putInt(at + 8 + 4 * i, bases[i]);
        }
        return at + 8 + 4 * bases.length;
    }

    @Test
    void parsesBasesAndVersionsOfTheIpsTheDriverUses() {
        IpBases bases = IpDiscovery.parse(MemorySegment.ofArray(table(false)));
        assertEquals(0x1260, bases.base(HwIp.GC, 0));
        assertEquals(0xA000, bases.base(HwIp.GC, 1));
        assertEquals(new IpVersion(10, 3, 0), bases.version(HwIp.GC));
        assertEquals(new IpVersion(5, 2, 0), bases.version(HwIp.SDMA0));
        assertEquals(SdmaIp.V5_2, SdmaIp.of(bases.version(HwIp.SDMA0).major(), bases.version(HwIp.SDMA0).minor()));
        assertTrue(!bases.has(HwIp.OSSSYS));
    }

    @Test
    void aCorruptTableFailsItsChecksum() {
        DiscoveryException e = assertThrows(DiscoveryException.class, () -> IpDiscovery.parse(MemorySegment.ofArray(table(true))));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aMissingTableIsReportedBySignature() {
        DiscoveryException e = assertThrows(DiscoveryException.class,
                () -> IpDiscovery.parse(MemorySegment.ofArray(new byte[IpDiscovery.TMR_SIZE])));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void everyProfileIsFoundByItsPciIdAndNothingElseIs() {
        assertEquals(AsicProfiles.VEGA10, AsicProfiles.forDevice(0x1002, 0x687f).orElseThrow());
        assertEquals(AsicProfiles.NAVI10, AsicProfiles.forDevice(0x1002, 0x731F).orElseThrow());
        assertEquals(AsicProfiles.NAVI21, AsicProfiles.forDevice(0x1002, 0x73BF).orElseThrow());
        assertEquals(AsicProfiles.NAVI31, AsicProfiles.forDevice(0x1002, 0x744C).orElseThrow());
        assertTrue(AsicProfiles.forDevice(0x10de, 0x687f).isEmpty());
    }

    @Test
    void sdma6TrapsNameTheInstanceInTheRingId() {
        SdmaTraits t = AsicProfiles.NAVI31.sdma();
        assertEquals(1, t.trapInstance(0x0a, 49, 0x10));
        assertEquals(0, t.trapInstance(0x0a, 49, 0x00));
        assertEquals(-1, t.trapInstance(0x0a, 224, 0x00));
        assertEquals(1, AsicProfiles.NAVI10.sdma().trapInstance(0x09, 224, 0));
        assertEquals(3, AsicProfiles.NAVI21.sdma().trapInstance(0x05, 224, 0));
    }
}
