package amdvfio.vfio.unplug;

import java.util.List;

/**
 * What the last {@link MappingTable#rerouteAll()} did: how long, how many {@code mmap} calls
 * (arena-wide ones among them), and per live mapping its backing now, the time of the call that
 * rerouted it and its errno.
 */
public record RerouteReport(long totalNanos, long mmapCalls, int arenaCalls, int toHostCopy, int toDummy,
                            int failed, List<Entry> entries) {

    public RerouteReport {
        entries = List.copyOf(entries);
    }

    /** One mapping: {@code errno} 0 when its reroute succeeded. */
    public record Entry(String owner, long address, long length, ClientMapping.Backing backing, long nanos, int errno) {
    }

    /** True when every device mapping was rerouted, so the device fd can be closed. */
    public boolean complete() {
        return failed == 0 && entries.stream().noneMatch(e -> e.backing() == ClientMapping.Backing.DEVICE);
    }
}
