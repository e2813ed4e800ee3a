package amdvfio.vfio;

/** Opening a /dev/vfio node failed with EACCES or EPERM. */
public class VfioPermissionException extends VfioException {

    private static final long serialVersionUID = 1L;

    public VfioPermissionException(String path, String errnoName, Throwable cause) {
        super("no permission to open " + path + " (" + errnoName + "): run as root, or give your user the node "
                + "(chown/udev rule for " + path + ") and raise 'ulimit -l' for DMA pinning", cause);
    }
}
