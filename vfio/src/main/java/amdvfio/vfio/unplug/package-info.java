/**
 * The device-independent half of hot-unplug: {@link amdvfio.vfio.unplug.DeviceGuard}
 * (drm_dev_enter/exit), {@link amdvfio.vfio.unplug.MappingTable} (one window per client over device
 * memory, replaced on loss by a shadow laid out like VRAM with one mmap per client) and
 * {@link amdvfio.vfio.unplug.Lifecycle}
 * (loss reasons, early/late fini, the teardown report).
 */
package amdvfio.vfio.unplug;
