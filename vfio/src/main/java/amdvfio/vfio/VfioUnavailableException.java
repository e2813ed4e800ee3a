package amdvfio.vfio;

/** /dev/vfio/vfio does not exist: the vfio and vfio-pci modules are not loaded (or the kernel lacks VFIO). */
public class VfioUnavailableException extends VfioException {

    private static final long serialVersionUID = 1L;

    public VfioUnavailableException(String containerPath) {
        super(containerPath + " does not exist: VFIO is not loaded; load it with: modprobe vfio-pci "
                + "(a kernel built with CONFIG_VFIO_PCI is needed)");
    }
}
