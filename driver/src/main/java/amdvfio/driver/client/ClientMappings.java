package amdvfio.driver.client;

import amdvfio.os.Fd;
import amdvfio.os.Mapping;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The CPU mappings a client made: the one place that creates and tears them down, so the
 * hot-unplug work can reroute them (the vfio module's {@code MappingTable}, not on this branch
 * yet) by changing only this class.
 *
 * <p>Threading: synchronized.
 */
final class ClientMappings {

    private final Map<Object, Mapping> byBuffer = new IdentityHashMap<>();

    /** Maps {@code length} bytes of {@code fd} at {@code offset} for {@code owner}, once; later calls return the same segment. */
    synchronized MemorySegment map(Object owner, Fd fd, long offset, long length) {
        Mapping m = byBuffer.get(owner);
        if (m == null) {
            m = Mapping.map(fd, offset, length);
            byBuffer.put(owner, m);
        }
        return m.segment();
    }

    /** Unmaps the mapping of {@code owner}, if any. */
    synchronized void unmap(Object owner) {
        Mapping m = byBuffer.remove(owner);
        if (m != null) {
            m.close();
        }
    }

    synchronized void closeAll() {
        byBuffer.values().forEach(Mapping::close);
        byBuffer.clear();
    }

    synchronized int count() {
        return byBuffer.size();
    }
}
