package amdvfio.driver.firmware;

import java.lang.foreign.MemorySegment;

/**
 * One component of the sOS file ({@code struct psp_bin_desc} in amdgpu_psp.h): its kind, its
 * version, and its bytes, a slice of the file.
 *
 * @param fileOffset where the bytes start in the file (what spec §3.3 lists)
 */
public record PspComponent(PspComponentKind kind, long version, long fileOffset, MemorySegment bytes) {

    public long size() {
        return bytes.byteSize();
    }
}
