/**
 * The device contract over kernel VFIO, legacy container/group interface with the Type1v2
 * IOMMU. Start at {@link amdvfio.vfio.kernel.KernelVfio#open}. Group and container types stay in
 * this package: the contract does not know them, so a cdev+iommufd backend can sit beside it.
 */
package amdvfio.vfio.kernel;
