package amdvfio.sim.discovery;

import amdvfio.bindings.amdgpu.discovery_h;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes the IP discovery binary the way the VBIOS/PSP leaves it at VRAM end − 64 KiB
 * ({@code DISCOVERY_TMR_OFFSET (64<<10)}, {@code DISCOVERY_TMR_SIZE (10<<10)}, amdgpu_discovery.h),
 * in the packed little-endian layout of {@code include/discovery.h}:
 *
 * <pre>
 * 0x00 binary_header    u32 binary_signature = 0x28211407
 *                       u16 version_major = 1, u16 version_minor = 0
 *                       u16 binary_checksum  byte sum of [0x0a, binary_size)
 *                       u16 binary_size
 *                       table_info[6] {u16 offset, u16 checksum, u16 size, u16 padding}
 *                         [0] IP_DISCOVERY; GC/HARVEST/VCN/MALL/NPS left 0 (absent)
 * 0x40 ip_discovery_header u32 signature = 0x53445049 ("IPDS"), u16 version = 1, u16 size,
 *                       u32 id = 0, u16 num_dies = 1, die_info[16] {u16 die_id, u16 die_offset}, u16 padding
 * ..   die_header       u16 die_id = 0, u16 num_ips
 * ..   ip[num_ips]      u16 hw_id, u8 number_instance, u8 num_base_address, u8 major, u8 minor,
 *                       u8 revision, u8 harvest:4|reserved:4, u32 base_address[num_base_address]
 * </pre>
 *
 * Checksums are 16-bit byte sums, as {@code amdgpu_discovery_calculate_checksum} computes them;
 * the IP table's checksum covers {@code ihdr->size} bytes from its offset.
 */
public final class DiscoveryTable {

    public static final int BINARY_SIGNATURE = discovery_h.BINARY_SIGNATURE();
    public static final int DISCOVERY_TABLE_SIGNATURE = discovery_h.DISCOVERY_TABLE_SIGNATURE();
    public static final long TMR_OFFSET_FROM_END = 64 << 10;
    public static final int TMR_SIZE = 10 << 10;
    public static final int BINARY_HEADER_SIZE = 60;
    public static final int IP_HEADER_OFFSET = 0x40;
    public static final int IP_HEADER_SIZE = 80;
    /** offsetof(binary_header, binary_checksum) + sizeof(binary_checksum). */
    public static final int BINARY_CHECKSUM_START = 10;

    private DiscoveryTable() {
    }

    /** The binary for {@code ips}, one die. */
    public static byte[] build(List<IpEntry> ips) {
        ByteBuffer b = ByteBuffer.allocate(TMR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int die = IP_HEADER_OFFSET + IP_HEADER_SIZE;
        b.putShort(die, (short) 0);
        b.putShort(die + 2, (short) ips.size());
        int p = die + 4;
        for (IpEntry ip : ips) {
            b.putShort(p, (short) ip.hwId().hwId());
            b.put(p + 2, (byte) ip.instance());
            b.put(p + 3, (byte) ip.bases().length);
            b.put(p + 4, (byte) ip.major());
            b.put(p + 5, (byte) ip.minor());
            b.put(p + 6, (byte) ip.revision());
            b.put(p + 7, (byte) 0);
            p += 8;
            for (int base : ip.bases()) {
                b.putInt(p, base);
                p += 4;
            }
        }
        int ipTableSize = p - IP_HEADER_OFFSET;
        b.putInt(IP_HEADER_OFFSET, DISCOVERY_TABLE_SIGNATURE);
        b.putShort(IP_HEADER_OFFSET + 4, (short) 1);
        b.putShort(IP_HEADER_OFFSET + 6, (short) ipTableSize);
        b.putInt(IP_HEADER_OFFSET + 8, 0);
        b.putShort(IP_HEADER_OFFSET + 12, (short) 1);
        b.putShort(IP_HEADER_OFFSET + 14, (short) 0);   // die_info[0].die_id
        b.putShort(IP_HEADER_OFFSET + 16, (short) die); // die_info[0].die_offset (from the binary start)

        int binarySize = p;
        b.putInt(0, BINARY_SIGNATURE);
        b.putShort(4, (short) 1);
        b.putShort(6, (short) 0);
        b.putShort(10, (short) binarySize);
        b.putShort(12, (short) IP_HEADER_OFFSET);
        b.putShort(14, (short) checksum(b.array(), IP_HEADER_OFFSET, ipTableSize));
        b.putShort(16, (short) ipTableSize);
        b.putShort(8, (short) checksum(b.array(), BINARY_CHECKSUM_START, binarySize - BINARY_CHECKSUM_START));
        byte[] out = new byte[binarySize];
        System.arraycopy(b.array(), 0, out, 0, binarySize);
        return out;
    }

    /** 16-bit sum of {@code size} bytes from {@code offset} (amdgpu_discovery_calculate_checksum). */
    public static int checksum(byte[] data, int offset, int size) {
        int sum = 0;
        for (int i = 0; i < size; i++) {
            sum += data[offset + i] & 0xFF;
        }
        return sum & 0xFFFF;
    }

    /** Writes the binary for {@code ips} into {@code vram} at VRAM end − 64 KiB; returns its offset. */
    public static long writeTo(MemorySegment vram, List<IpEntry> ips) {
        byte[] bin = build(ips);
        long offset = vram.byteSize() - TMR_OFFSET_FROM_END;
        MemorySegment.copy(bin, 0, vram, ValueLayout.JAVA_BYTE, offset, bin.length);
        return offset;
    }
}
