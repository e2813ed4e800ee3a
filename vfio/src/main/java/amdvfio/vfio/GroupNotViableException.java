package amdvfio.vfio;

/**
 * Another function in the device's IOMMU group is bound to a host driver, so the kernel will not
 * hand the group to userspace (vfio's group viability rule: every member bound to a vfio driver,
 * to none, to pci-stub, or a bridge).
 */
public class GroupNotViableException extends VfioException {

    private static final long serialVersionUID = 1L;

    private final PciAddress blocker;
    private final String blockerDriver;

    public GroupNotViableException(PciAddress address, int group, PciAddress blocker, String blockerDriver) {
        super("IOMMU group " + group + " of " + address + " is not viable: its member " + blocker
                + " is bound to " + blockerDriver + "; bind it to vfio-pci too (amdvfio bind " + blocker
                + ") or unbind it (amdvfio unbind " + blocker + ")");
        this.blocker = blocker;
        this.blockerDriver = blockerDriver;
    }

    /** The group member that makes the group unusable. */
    public PciAddress blocker() {
        return blocker;
    }

    public String blockerDriver() {
        return blockerDriver;
    }
}
