package amdvfio.vfio.unplug;

import java.util.List;

/**
 * What the last {@link MappingTable#rerouteAll()} did: how long, how many {@code mmap} calls (one
 * per client window), and per client window whether it now shows the shadow, how many buffer
 * mappings it carries, the time of its call and its errno.
 */
public record RerouteReport(long totalNanos, long mmapCalls, int failed, List<Entry> entries) {

    public RerouteReport {
        entries = List.copyOf(entries);
    }

    /** One client window: {@code errno} 0 when its reroute succeeded. */
    public record Entry(String owner, long address, long length, boolean rerouted, int mappings, long nanos,
                        int errno) {
    }

    /** True when every window shows the shadow, so the device fd can be closed. */
    public boolean complete() {
        return failed == 0 && entries.stream().allMatch(Entry::rerouted);
    }

    /** Buffer mappings carried by the rerouted windows. */
    public int mappings() {
        return entries.stream().mapToInt(Entry::mappings).sum();
    }
}
