package amdvfio.vfio.unplug;

import amdvfio.os.Mapping;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reserved ({@code PROT_NONE}) range of address space that an owner's device mappings are
 * placed in with {@code MAP_FIXED}, so that one {@code mmap(MAP_FIXED)} over the whole arena
 * reroutes all of them — the userspace form of the kernel's {@code unmap_mapping_range()} over a
 * device's address space. Freed ranges go back to {@code PROT_NONE}, never to a hole: a hole
 * could be taken by an unrelated mmap that a whole-arena reroute would then clobber.
 *
 * <p>Not thread-safe: its owner's monitor guards it.
 */
final class AddressArena {

    final Mapping reservation;
    final MemorySegment base;
    final long size;
    /** Free ranges, start → length, coalesced. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    /** Live mappings sorted by address (the reroute walks them without allocating). */
    final ArrayList<ClientMapping> mappings = new ArrayList<>();
    /** True once the whole arena was rerouted (anonymous memory everywhere but host copies). */
    boolean rerouted;

    AddressArena(long size) {
        this.reservation = Mapping.reserve(size);
        this.base = reservation.segment();
        this.size = size;
        free.put(base.address(), size);
    }

    /** First fit of {@code length} bytes (page-multiple); the address, or -1 when it does not fit. */
    long allocate(long length) {
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            if (e.getValue() >= length) {
                long at = e.getKey();
                free.remove(at);
                if (e.getValue() > length) {
                    free.put(at + length, e.getValue() - length);
                }
                return at;
            }
        }
        return -1;
    }

    boolean fits(long length) {
        for (long len : free.values()) {
            if (len >= length) {
                return true;
            }
        }
        return false;
    }

    void release(long address, long length) {
        long start = address;
        long len = length;
        Map.Entry<Long, Long> below = free.floorEntry(start);
        if (below != null && below.getKey() + below.getValue() == start) {
            start = below.getKey();
            len += below.getValue();
            free.remove(below.getKey());
        }
        Long above = free.get(address + length);
        if (above != null) {
            free.remove(address + length);
            len += above;
        }
        free.put(start, len);
    }

    void add(ClientMapping m) {
        int i = 0;
        while (i < mappings.size() && mappings.get(i).address() < m.address()) {
            i++;
        }
        mappings.add(i, m);
    }

    boolean hasHostCopies() {
        for (int i = 0; i < mappings.size(); i++) {
            if (mappings.get(i).backing() == ClientMapping.Backing.HOST_COPY) {
                return true;
            }
        }
        return false;
    }

    long end() {
        return base.address() + size;
    }
}
