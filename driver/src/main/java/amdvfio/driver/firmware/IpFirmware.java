package amdvfio.driver.firmware;

import java.lang.foreign.MemorySegment;

/**
 * One image the PSP loads with LOAD_IP_FW: which ucode it is, the file it came from, the version
 * the header gives, and its bytes, cut from the file as {@code amdgpu_ucode_init_single_fw} does.
 */
public record IpFirmware(Ucode ucode, String file, long version, MemorySegment bytes) {

    public long size() {
        return bytes.byteSize();
    }

    @Override
    public String toString() {
        return ucode + " (" + file + ", " + size() + " B, v0x" + Long.toHexString(version) + ")";
    }
}
