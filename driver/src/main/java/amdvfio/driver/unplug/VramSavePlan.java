package amdvfio.driver.unplug;

import amdvfio.driver.Job;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.HostBuffer;
import amdvfio.driver.fence.Fence;
import amdvfio.driver.ip.gmc.Gart;
import amdvfio.driver.sched.RingScheduler;
import amdvfio.os.Fd;
import amdvfio.vfio.DmaSpace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The orderly-removal save: each VRAM buffer copied by SDMA into the shadow at its own VRAM offset,
 * so that after the one remap per client its bytes sit where the client's window shows them.
 *
 * <p>The GPU reaches the shadow through host-buffer views (mmap, DMA map, GART bind), one per
 * <em>extent</em>: buffers sorted by offset and grouped while the gap to the next is at most
 * {@link #MAX_GAP} and the extent at most {@link #MAX_EXTENT}. A range allocator packs buffers, so
 * a few views serve thousands of buffers — not one set of system calls per buffer — while the
 * bound keeps a view from pinning (vfio's MAP_DMA pins) or binding in the GART the whole aperture.
 */
public final class VramSavePlan {

    /** Buffers further apart than this start a new view: pinning the gap would cost more than a call. */
    static final long MAX_GAP = 1L << 20;
    /** The largest view: an eighth of the GART, so the save never starves it. */
    static final long MAX_EXTENT = 64L << 20;

    /** A buffer to save and the client it belongs to. */
    public record Item(String client, BufferObject bo) {
    }

    /** A submitted copy: it saved its buffer once the fence signalled. */
    public record Copy(Item item, Fence fence) {
    }

    private VramSavePlan() {
    }

    /**
     * Makes the views, keeps them in {@code views} (closed by the caller after the device is gone)
     * and submits one copy per buffer, round-robin over {@code rings}. A buffer that cannot be
     * submitted (no GART room, freed meanwhile) gets no copy: its data is lost.
     */
    public static List<Copy> submit(List<Item> items, Fd shadow, DmaSpace dma, Gart gart, List<RingScheduler> rings,
                                    Object owner, List<AutoCloseable> views) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingLong(i -> i.bo().vramOffset()));
        List<Copy> out = new ArrayList<>(sorted.size());
        int ring = 0;
        int i = 0;
        while (i < sorted.size()) {
            int end = extentEnd(sorted, i);
            long start = sorted.get(i).bo().vramOffset();
            long last = start;
            for (int k = i; k < end; k++) {
                last = Math.max(last, sorted.get(k).bo().vramOffset() + sorted.get(k).bo().size());
            }
            BufferObject view;
            try {
                HostBuffer host = HostBuffer.view(shadow, start, last - start, dma, gart);
                view = BufferObject.gtt(owner, last - start, host, () -> { });
            } catch (RuntimeException e) { // no GART room: these buffers' data is lost
                i = end;
                continue;
            }
            synchronized (views) {
                views.add(view);
            }
            for (; i < end; i++) {
                Item it = sorted.get(i);
                BufferObject bo = it.bo();
                try {
                    Job copy = Job.builder().copy(bo, 0, view, bo.vramOffset() - start, bo.size()).build();
                    out.add(new Copy(it, rings.get(ring++ % rings.size()).submit(copy, owner)));
                } catch (RuntimeException e) { // freed meanwhile, or the scheduler stopped: lost
                }
            }
        }
        return out;
    }

    /** The index after the last buffer of the extent that begins at {@code from}. */
    static int extentEnd(List<Item> sorted, int from) {
        long start = sorted.get(from).bo().vramOffset();
        long reach = start + sorted.get(from).bo().size();
        int j = from + 1;
        while (j < sorted.size()) {
            BufferObject next = sorted.get(j).bo();
            long nextEnd = Math.max(reach, next.vramOffset() + next.size());
            if (next.vramOffset() - reach > MAX_GAP || nextEnd - start > MAX_EXTENT) {
                break;
            }
            reach = nextEnd;
            j++;
        }
        return j;
    }
}
