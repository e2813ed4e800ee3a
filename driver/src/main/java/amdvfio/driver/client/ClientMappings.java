package amdvfio.driver.client;

import amdvfio.os.Fd;
import amdvfio.os.Mapping;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.MappingOwner;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The CPU mappings a client made, and the one place that creates and tears them down. Device
 * memory (VRAM through BAR0) goes into the client's {@link MappingOwner} of the vfio module's
 * {@code MappingTable}, so the hot-unplug work can reroute all of them with one mmap per arena.
 * Host memory (GTT memfds) is mapped directly: it is never rerouted and keeps its data.
 *
 * <p>Threading: synchronized.
 */
final class ClientMappings {

    private final MappingOwner owner;
    private final Map<Object, AutoCloseable> byBuffer = new IdentityHashMap<>();
    private final Map<Object, MemorySegment> segments = new IdentityHashMap<>();

    ClientMappings(MappingOwner owner) {
        this.owner = owner;
    }

    /** Maps {@code length} bytes of device memory at {@code offset} of {@code range} for {@code buffer}, once. */
    synchronized MemorySegment mapDevice(Object buffer, MappableRange range, long offset, long length) {
        MemorySegment seg = segments.get(buffer);
        if (seg == null) {
            ClientMapping m = owner.map(range, offset, length);
            byBuffer.put(buffer, m);
            seg = m.segment();
            segments.put(buffer, seg);
        }
        return seg;
    }

    /** Maps {@code length} bytes of host memory {@code fd} at {@code offset} for {@code buffer}, once. */
    synchronized MemorySegment mapHost(Object buffer, Fd fd, long offset, long length) {
        MemorySegment seg = segments.get(buffer);
        if (seg == null) {
            Mapping m = Mapping.map(fd, offset, length);
            byBuffer.put(buffer, m);
            seg = m.segment();
            segments.put(buffer, seg);
        }
        return seg;
    }

    /** Unmaps the mapping of {@code buffer}, if any. */
    synchronized void unmap(Object buffer) {
        segments.remove(buffer);
        close(byBuffer.remove(buffer));
    }

    /** Unmaps everything and closes the owner (its arenas). */
    synchronized void closeAll() {
        byBuffer.values().forEach(ClientMappings::close);
        byBuffer.clear();
        segments.clear();
        owner.close();
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("unmapping " + c + " failed", e);
            }
        }
    }
}
