package amdvfio.driver.client;

import amdvfio.os.Fd;
import amdvfio.os.Mapping;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.MappingOwner;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The CPU mappings a client made, and the one place that creates and tears them down. Device
 * memory (VRAM through BAR0) is a slice of the client's window, its {@link MappingOwner} in the
 * vfio module's {@code MappingTable}: one VMA per client, replaced on loss with one mmap. Host
 * memory (GTT memfds) is mapped directly: it is never rerouted and keeps its data.
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

    /** The slice of the client's device window at {@code offset} for {@code buffer}, once; no system call. */
    synchronized MemorySegment mapDevice(Object buffer, long offset, long length) {
        MemorySegment seg = segments.get(buffer);
        if (seg == null) {
            ClientMapping m = owner.map(offset, length);
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

    /** Unmaps everything and closes the owner (its window: every slice handed out becomes inaccessible). */
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
