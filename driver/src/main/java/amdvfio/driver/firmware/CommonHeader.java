package amdvfio.driver.firmware;

import amdvfio.bindings.amdgpu.common_firmware_header;
import java.lang.foreign.MemorySegment;

/**
 * {@code struct common_firmware_header} (amdgpu_ucode.h), the first 32 bytes of every amdgpu
 * firmware file, read through the generated layout. {@code crc32} is kept for display only:
 * amdgpu never checks it and it is not a uniform checksum (spec §3.3, conflict C9).
 */
public record CommonHeader(long sizeBytes, long headerSizeBytes, int headerMajor, int headerMinor,
                           int ipMajor, int ipMinor, long ucodeVersion, long ucodeSizeBytes,
                           long ucodeArrayOffsetBytes, long crc32) {

    static CommonHeader read(MemorySegment file) {
        return new CommonHeader(
                u32(common_firmware_header.size_bytes(file)),
                u32(common_firmware_header.header_size_bytes(file)),
                Short.toUnsignedInt(common_firmware_header.header_version_major(file)),
                Short.toUnsignedInt(common_firmware_header.header_version_minor(file)),
                Short.toUnsignedInt(common_firmware_header.ip_version_major(file)),
                Short.toUnsignedInt(common_firmware_header.ip_version_minor(file)),
                u32(common_firmware_header.ucode_version(file)),
                u32(common_firmware_header.ucode_size_bytes(file)),
                u32(common_firmware_header.ucode_array_offset_bytes(file)),
                u32(common_firmware_header.crc32(file)));
    }

    static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }

    /** "2.0", as amdgpu prints header versions. */
    public String headerVersion() {
        return headerMajor + "." + headerMinor;
    }
}
