/**
 * The PCI part of sysfs: what {@code amdvfio list/bind/unbind} and the hotplug loop read and
 * write. {@link amdvfio.vfio.sysfs.Sysfs} is rooted at a directory so tests run on a fake tree.
 */
package amdvfio.vfio.sysfs;
