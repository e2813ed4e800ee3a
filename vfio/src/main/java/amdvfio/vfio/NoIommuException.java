package amdvfio.vfio;

/** The function has no IOMMU group: the IOMMU is off or absent, and VFIO (with an IOMMU) cannot be used. */
public class NoIommuException extends VfioException {

    private static final long serialVersionUID = 1L;

    public NoIommuException(PciAddress address) {
        super(address + " has no IOMMU group (no iommu_group link in sysfs): the IOMMU is disabled or absent; "
                + "enable the IOMMU: intel_iommu=on / amd_iommu=on on the kernel command line (and VT-d/AMD-Vi in the firmware)");
    }
}
