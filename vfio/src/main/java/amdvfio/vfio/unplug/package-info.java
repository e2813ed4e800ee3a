/**
 * The device-independent half of hot-unplug: {@link amdvfio.vfio.unplug.DeviceGuard}
 * (drm_dev_enter/exit), {@link amdvfio.vfio.unplug.MappingTable} (reroute of client mappings to
 * host copies or dummy memory, one mmap per client arena) and {@link amdvfio.vfio.unplug.Lifecycle}
 * (loss reasons, early/late fini, the teardown report).
 */
package amdvfio.vfio.unplug;
