package amdvfio.bench.unplug;

/**
 * What a REQ→released measurement takes away, named in full: {@code clients} clients, each with
 * {@code bosPerClient} VRAM buffers of {@code boSize} bytes, each buffer mapped and every page of
 * it written. Written {@code <clients>x<bosPerClient>x<boSize>}, size in K or M: "8x125x64K"
 * (1 000 mappings, 16 000 populated pages) and "8x1000x4K" (8 000 mappings,
 * 8 000 pages). Client c's buffer b sits at VRAM offset {@code (b * clients + c) * boSize}, the
 * order in which a rig allocating round-robin gets them.
 */
record UnplugWorkload(int clients, int bosPerClient, long boSize) {

    static final long PAGE = 4096;
    /** The simulated card's VRAM (and BAR0 window) in every unplug rig and the C floor. */
    static final long VRAM = 1L << 30;

    UnplugWorkload {
        if (clients < 1 || clients > 64) {
            throw new IllegalArgumentException("clients must be 1..64: " + clients);
        }
        if (bosPerClient < 1) {
            throw new IllegalArgumentException("bosPerClient must be positive: " + bosPerClient);
        }
        if (boSize < PAGE || boSize % PAGE != 0) {
            throw new IllegalArgumentException("boSize must be a positive multiple of 4 KiB: " + boSize);
        }
        if ((long) clients * bosPerClient * boSize > VRAM / 2) {
            throw new IllegalArgumentException(String.format("%d × %d × %d B is more than half the rig's %d MiB of VRAM",
                    clients, bosPerClient, boSize, VRAM >> 20));
        }
    }

    /** Parses {@code <clients>x<bosPerClient>x<boSize>}. */
    static UnplugWorkload parse(String s) {
        String[] p = s.split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("workload must be <clients>x<bosPerClient>x<boSize>, e.g. 8x125x64K: " + s);
        }
        return new UnplugWorkload(Integer.parseInt(p[0]), Integer.parseInt(p[1]), RerouteRig.parseSize(p[2]));
    }

    int mappings() {
        return clients * bosPerClient;
    }

    long populatedPages() {
        return mappings() * (boSize / PAGE);
    }

    /** VRAM offset of client {@code c}'s buffer {@code b}. */
    long offset(int c, int b) {
        return ((long) b * clients + c) * boSize;
    }
}
