package amdvfio.driver.client;

import amdvfio.driver.fence.Fence;

/**
 * A fence exported by one client for others to import ({@code drmSyncobjExportSyncFile}'s role).
 * Only {@link GpuClient#exportFence} makes one, so holding a fence object is not enough to use
 * it from another client: it must have been exported.
 */
public final class FenceHandle {

    private final Fence fence;

    FenceHandle(Fence fence) {
        this.fence = fence;
    }

    Fence fence() {
        return fence;
    }

    @Override
    public String toString() {
        return "FenceHandle[" + fence + "]";
    }
}
