package amdvfio.vfio.unplug;

/** Why a device's teardown began. */
public enum LossReason {
    /** The kernel asked for the device back (VFIO REQ eventfd: sysfs remove, unbind, pciehp). The device still answers. */
    REQ,
    /** A fatal AER error (VFIO ERR eventfd): the link is gone. */
    ERR_FATAL,
    /** Detected by the driver: all-ones registers and config vendor id 0xFFFF. */
    SURPRISE,
    /** The application closed the device; nothing was lost. */
    CLOSE
}
