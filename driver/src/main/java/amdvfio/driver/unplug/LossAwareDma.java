package amdvfio.driver.unplug;

import amdvfio.driver.DeviceLostException;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.DmaSpace;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device's DMA space as the driver uses it: it remembers every live mapping so that early
 * fini can unmap all of them at once ({@link #dropAll}, the "clear the TTM DMA mappings" step of
 * amdgpu_device_fini_hw) when the device stays open, or leave that to the device's close
 * ({@link #forgetAll}), while the buffers that own them live on with their host memory. A later {@link #unmap} of a dropped mapping is a no-op, so freeing a
 * GTT buffer after the loss never touches the closed device. New mappings fail fast once the
 * DMA space was dropped.
 *
 * <p>Threading: any thread.
 */
public final class LossAwareDma implements DmaSpace {

    private final DmaSpace dma;
    private final Set<DmaMapping> live = ConcurrentHashMap.newKeySet();
    private volatile boolean dropped;

    public LossAwareDma(DmaSpace dma) {
        this.dma = dma;
    }

    @Override
    public DmaMapping map(MemorySegment host) {
        check();
        DmaMapping m = dma.map(host);
        return track(m);
    }

    @Override
    public DmaMapping mapAt(MemorySegment host, long iova) {
        check();
        return track(dma.mapAt(host, iova));
    }

    private void check() {
        // not refused at the loss itself: the orderly-removal save maps its host copies after it
        // (clients are refused earlier, by GpuClient); refused once early fini dropped the DMA space
        if (dropped) {
            throw new DeviceLostException("DMA map: the device is lost");
        }
    }

    private DmaMapping track(DmaMapping m) {
        live.add(m);
        if (dropped) { // raced with dropAll: undo ourselves
            unmap(m);
            throw new DeviceLostException("DMA map: the device is lost");
        }
        return m;
    }

    @Override
    public void unmap(DmaMapping mapping) {
        if (live.remove(mapping)) {
            try {
                dma.unmap(mapping);
            } catch (RuntimeException e) {
                if (!dropped) { // after dropAll the device may be closed: nothing left to unmap
                    throw e;
                }
            }
        }
    }

    @Override
    public List<DmaMapping> mappings() {
        return new ArrayList<>(live);
    }

    /** Unmaps every live mapping (early fini, engines stopped); returns how many. Later unmaps are no-ops. */
    public int dropAll() {
        dropped = true;
        int n = 0;
        for (DmaMapping m : List.copyOf(live)) {
            if (live.remove(m)) {
                dma.unmap(m);
                n++;
            }
        }
        return n;
    }

    /**
     * The device is about to be closed, and its close unmaps every mapping itself, after bus
     * mastering is off ({@code PciDevice.close}): refuse new mappings and forget the live ones
     * without a call each. Returns how many. Later unmaps are no-ops.
     */
    public int forgetAll() {
        dropped = true;
        int n = 0;
        for (DmaMapping m : List.copyOf(live)) {
            if (live.remove(m)) {
                n++;
            }
        }
        return n;
    }

    public int liveCount() {
        return live.size();
    }
}
