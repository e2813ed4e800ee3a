package amdvfio.vfio;

import java.lang.foreign.MemorySegment;

/** Host memory {@code host} visible to the device at {@code iova} .. {@code iova + size()}. */
public record DmaMapping(long iova, MemorySegment host) {

    public long size() {
        return host.byteSize();
    }

    public boolean contains(long deviceAddress, long length) {
        return deviceAddress >= iova && length >= 0 && deviceAddress + length <= iova + size();
    }
}
