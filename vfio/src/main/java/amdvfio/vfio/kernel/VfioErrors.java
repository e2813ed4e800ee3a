package amdvfio.vfio.kernel;

import amdvfio.os.Errno;
import amdvfio.os.SyscallException;
import amdvfio.vfio.VfioException;
import amdvfio.vfio.VfioPermissionException;
import amdvfio.vfio.VfioUnavailableException;

/**
 * Turns a failed open or ioctl on a /dev/vfio node into the exception that says what to do,
 * the way Netty's {@code Errors} maps errno to specific exceptions.
 */
final class VfioErrors {

    private VfioErrors() {
    }

    /** {@code open(/dev/vfio/vfio)} failed. */
    static VfioException openingContainer(String path, SyscallException e) {
        if (e.is(Errno.ENOENT) || e.is(Errno.ENODEV) || e.is(Errno.ENXIO)) {
            return new VfioUnavailableException(path);
        }
        return common(path, e);
    }

    /** {@code open(/dev/vfio/<group>)} failed. */
    static VfioException openingGroup(String path, int group, SyscallException e) {
        if (e.is(Errno.ENOENT) || e.is(Errno.ENODEV) || e.is(Errno.ENXIO)) {
            return new VfioException(path + " does not exist: no function of IOMMU group " + group
                    + " is bound to vfio-pci (bind it with: amdvfio bind <bdf>)", e);
        }
        if (e.is(Errno.EBUSY)) {
            return new VfioException(path + " is busy: IOMMU group " + group + " is already open, by another "
                    + "process or by this one (a group can be opened once; close the other user first)", e);
        }
        return common(path, e);
    }

    private static VfioException common(String path, SyscallException e) {
        if (e.is(Errno.EACCES) || e.is(Errno.EPERM)) {
            return new VfioPermissionException(path, e.errnoName(), e);
        }
        return new VfioException("cannot open " + path + ": " + e.getMessage(), e);
    }

    /** {@code VFIO_SET_IOMMU} failed. */
    static VfioException settingIommu(SyscallException e) {
        if (e.is(Errno.EPERM)) {
            return new VfioException("ioctl(VFIO_SET_IOMMU) failed: EPERM: the IOMMU has no interrupt remapping; "
                    + "enable it (intremap / x2apic) or, knowing the risk, load vfio_iommu_type1 with "
                    + "allow_unsafe_interrupts=1", e);
        }
        return new VfioException(e.getMessage() + ": cannot use the Type1v2 IOMMU", e);
    }

    /** {@code VFIO_IOMMU_MAP_DMA} failed. */
    static VfioException mappingDma(long iova, long size, SyscallException e) {
        String hint = e.is(Errno.ENOMEM)
                ? "pinning needs locked memory: raise 'ulimit -l' (RLIMIT_MEMLOCK) or run as root"
                : e.is(Errno.EEXIST) ? "the IOVA range is already mapped in the container"
                : e.is(Errno.EINVAL) ? "host address, IOVA or size not page-aligned, or IOVA outside the IOMMU's ranges"
                : "see dmesg";
        return new VfioException(String.format("%s mapping IOVA [0x%x, 0x%x): %s", e.getMessage(), iova, iova + size, hint), e);
    }
}
