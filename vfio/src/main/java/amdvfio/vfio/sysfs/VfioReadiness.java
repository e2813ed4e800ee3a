package amdvfio.vfio.sysfs;

import amdvfio.vfio.GroupNotViableException;
import amdvfio.vfio.NoIommuException;
import amdvfio.vfio.NotBoundToVfioException;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;

/**
 * Whether a function can be opened through VFIO, judged from sysfs alone, and if not, why.
 * {@link #orThrow()} turns the verdict into the typed exception whose message says what to do.
 *
 * @param blocker       for {@link Status#GROUP_NOT_VIABLE}: the group member that blocks, else null
 * @param blockerDriver the blocker's driver, else null
 */
public record VfioReadiness(PciAddress address, Status status, String driver, int iommuGroup,
                            PciAddress blocker, String blockerDriver) {

    public enum Status {
        /** Bound to vfio-pci and its IOMMU group is viable. */
        READY,
        /** No iommu_group link: no IOMMU. */
        NO_IOMMU,
        /** Bound to another driver or to none. */
        NOT_BOUND,
        /** Bound to vfio-pci, but another member of its group is held by a host driver. */
        GROUP_NOT_VIABLE
    }

    public boolean ready() {
        return status == Status.READY;
    }

    /** Returns normally when ready; otherwise throws the matching typed exception. */
    public void orThrow() {
        VfioException e = switch (status) {
            case READY -> null;
            case NO_IOMMU -> new NoIommuException(address);
            case NOT_BOUND -> new NotBoundToVfioException(address, driver);
            case GROUP_NOT_VIABLE -> new GroupNotViableException(address, iommuGroup, blocker, blockerDriver);
        };
        if (e != null) {
            throw e;
        }
    }

    /** One line for a table: "ready", "bound to amdgpu", "group 12 blocked by 0000:03:00.1 (snd_hda_intel)". */
    public String describe() {
        return switch (status) {
            case READY -> "ready";
            case NO_IOMMU -> "no IOMMU";
            case NOT_BOUND -> driver == null ? "no driver" : "bound to " + driver;
            case GROUP_NOT_VIABLE -> "group " + iommuGroup + " blocked by " + blocker + " (" + blockerDriver + ")";
        };
    }
}
