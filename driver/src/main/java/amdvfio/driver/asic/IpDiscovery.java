package amdvfio.driver.asic;

import amdvfio.amdgpu.HwIp;
import amdvfio.bindings.amdgpu.discovery_h;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;

/**
 * Parser of the IP discovery binary that firmware leaves at VRAM end − 64 KiB
 * ({@code include/discovery.h}, {@code amdgpu_discovery.c}). Layout, little-endian:
 *
 * <pre>
 *  binary_header      @0     u32 signature 0x28211407 | u16 ver_major | u16 ver_minor
 *                            u16 binary_checksum | u16 binary_size | table_info[] (8 bytes each:
 *                            u16 offset, u16 checksum, u16 size, u16 pad); table 0 = IP_DISCOVERY
 *  ip_discovery_header @t0   u32 signature 0x53445049 "IPDS" | u16 version | u16 size | u32 id
 *                            u16 num_dies | die_info[16] (u16 die_id, u16 die_offset) | u8 flags
 *                            (bit 0 base_addr_64_bit)
 *  die_header @die_offset    u16 die_id | u16 num_ips, followed by num_ips entries:
 *  ip                        u16 hw_id | u8 instance | u8 num_base_address | u8 major | u8 minor
 *                            u8 revision | u8 harvest/variant | base_address[num] (u32, or u64)
 * </pre>
 *
 * Checksums are the 16-bit sum of bytes ({@code amdgpu_discovery_verify_checksum}): the binary
 * checksum covers bytes 10 .. binary_size, the IP table checksum its {@code size} bytes.
 * Only die 0 and instance 0 of each IP are kept (single-die dGPUs). Stateless; thread-safe.
 */
public final class IpDiscovery {

    public static final long TMR_OFFSET_FROM_END = 64 << 10;   // DISCOVERY_TMR_OFFSET
    public static final int TMR_SIZE = 10 << 10;                // DISCOVERY_TMR_SIZE
    public static final int BINARY_SIGNATURE = discovery_h.BINARY_SIGNATURE();
    public static final int IP_TABLE_SIGNATURE = discovery_h.DISCOVERY_TABLE_SIGNATURE();

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int BINARY_CHECKSUM_END = 10;
    private static final int TABLE_LIST = 12;
    private static final int DIE_INFO = 14;
    private static final int MAX_DIES = 16;

    private IpDiscovery() {
    }

    /** Parses {@code bin} (at least the header's binary_size bytes) into register bases and versions. */
    public static IpBases parse(MemorySegment bin) {
        int sig = bin.get(U32, 0);
        if (sig != BINARY_SIGNATURE) {
            throw new DiscoveryException(String.format(
                    "no IP discovery binary at VRAM end - 64 KiB: signature 0x%08x, expected 0x%08x "
                            + "(firmware did not run, or VRAM size is wrong)", sig, BINARY_SIGNATURE));
        }
        int binarySize = u16(bin, 10);
        if (binarySize < TABLE_LIST + 8 || binarySize > bin.byteSize()) {
            throw new DiscoveryException("IP discovery binary size " + binarySize + " is outside 20.." + bin.byteSize());
        }
        verify(bin, BINARY_CHECKSUM_END, binarySize - BINARY_CHECKSUM_END, u16(bin, 8), "binary");
        int table = u16(bin, TABLE_LIST);
        int tableChecksum = u16(bin, TABLE_LIST + 2);
        if (bin.get(U32, table) != IP_TABLE_SIGNATURE) {
            throw new DiscoveryException(String.format("IP discovery table at 0x%x has signature 0x%08x, expected 0x%08x",
                    table, bin.get(U32, table), IP_TABLE_SIGNATURE));
        }
        int tableSize = u16(bin, table + 6);
        verify(bin, table, tableSize, tableChecksum, "IP table");
        int numDies = u16(bin, table + 12);
        if (numDies < 1 || numDies > MAX_DIES) {
            throw new DiscoveryException("IP discovery table lists " + numDies + " dies");
        }
        boolean bases64 = (bin.get(ValueLayout.JAVA_BYTE, table + DIE_INFO + 4 * MAX_DIES) & 1) != 0;
        int dieOffset = u16(bin, table + DIE_INFO + 2);
        return parseDie(bin, dieOffset, bases64);
    }

    private static IpBases parseDie(MemorySegment bin, int dieOffset, boolean bases64) {
        int numIps = u16(bin, dieOffset + 2);
        Map<HwIp, int[]> bases = new EnumMap<>(HwIp.class);
        Map<HwIp, IpVersion> versions = new EnumMap<>(HwIp.class);
        long at = dieOffset + 4;
        for (int i = 0; i < numIps; i++) {
            int hwId = u16(bin, at);
            int instance = u8(bin, at + 2);
            int numBases = u8(bin, at + 3);
            IpVersion version = new IpVersion(u8(bin, at + 4), u8(bin, at + 5), u8(bin, at + 6));
            long baseAt = at + 8;
            int[] b = new int[numBases];
            for (int k = 0; k < numBases; k++) {
                b[k] = bases64 ? (int) bin.get(U64, baseAt + 8L * k) : bin.get(U32, baseAt + 4L * k);
            }
            at = baseAt + (long) numBases * (bases64 ? 8 : 4);
            if (at > bin.byteSize()) {
                throw new DiscoveryException("IP discovery entry " + i + " runs past the table");
            }
            HwIp ip = HwIp.byHwId(hwId);
            if (ip != null && instance == 0) {
                bases.put(ip, b);
                versions.put(ip, version);
            }
        }
        return new IpBases(bases, versions);
    }

    /** The 16-bit byte sum amdgpu compares with the stored checksum. */
    public static int checksum(MemorySegment bin, long offset, long size) {
        int sum = 0;
        for (long i = 0; i < size; i++) {
            sum += bin.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF;
        }
        return sum & 0xFFFF;
    }

    private static void verify(MemorySegment bin, long offset, long size, int expected, String what) {
        if (offset + size > bin.byteSize()) {
            throw new DiscoveryException(what + " of IP discovery runs past the 10 KiB table");
        }
        int actual = checksum(bin, offset, size);
        if (actual != expected) {
            throw new DiscoveryException(String.format("IP discovery %s checksum 0x%04x, stored 0x%04x: table is corrupt",
                    what, actual, expected));
        }
    }

    private static int u16(MemorySegment s, long off) {
        return Short.toUnsignedInt(s.get(U16, off));
    }

    private static int u8(MemorySegment s, long off) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off));
    }
}
