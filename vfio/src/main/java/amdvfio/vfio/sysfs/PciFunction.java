package amdvfio.vfio.sysfs;

import amdvfio.vfio.PciAddress;

/**
 * One PCI function as sysfs shows it (/sys/bus/pci/devices/&lt;bdf&gt;): ids, class, the driver
 * it is bound to and its IOMMU group. A snapshot: re-read it after binding or removal.
 *
 * @param driver     the bound driver's name (the {@code driver} link), or null when unbound
 * @param iommuGroup the IOMMU group number (the {@code iommu_group} link), or -1 when there is none
 * @param bridge     true for a PCI-to-PCI bridge (header type 1) — bridges never block a group
 */
public record PciFunction(PciAddress address, int vendorId, int deviceId, int classCode,
                          int subsystemVendorId, int subsystemDeviceId, String driver, int iommuGroup,
                          boolean bridge) {

    /** The vfio-pci driver, and vendor variants of it ("mlx5_vfio_pci", "hisi-acc-vfio-pci"). */
    public static boolean isVfioDriver(String driver) {
        return driver != null && (driver.equals("vfio-pci") || driver.endsWith("vfio_pci") || driver.endsWith("vfio-pci"));
    }

    public boolean isBoundToVfio() {
        return isVfioDriver(driver);
    }

    public boolean hasIommuGroup() {
        return iommuGroup >= 0;
    }

    /** Base class and sub-class, e.g. 0x0300 for a VGA controller. */
    public int baseAndSubClass() {
        return classCode >>> 8;
    }

    /** {@code 1002:73bf} — the vendor:device pair lspci prints. */
    public String ids() {
        return String.format("%04x:%04x", vendorId, deviceId);
    }

    /** True for AMD/ATI display controllers (vendor 0x1002, base class 0x03). */
    public boolean isAmdGpu() {
        return vendorId == 0x1002 && (classCode >>> 16) == 0x03;
    }
}
