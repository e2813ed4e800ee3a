package amdvfio.vfio.kernel;

import amdvfio.bindings.libc.libc_h;
import amdvfio.bindings.vfio.vfio_h;
import amdvfio.bindings.vfio.vfio_iommu_type1_dma_map;
import amdvfio.bindings.vfio.vfio_iommu_type1_dma_unmap;
import amdvfio.bindings.vfio.vfio_iommu_type1_info;
import amdvfio.os.Fd;
import amdvfio.os.SyscallException;
import amdvfio.vfio.VfioException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import amdvfio.vfio.VfioUnavailableException;

/**
 * A VFIO container ({@code /dev/vfio/vfio}): the IOMMU context that groups are attached to and
 * DMA is mapped in. Legacy interface of Documentation/driver-api/vfio.rst: open, check the API
 * version and the Type1v2 extension, attach a group, then {@code VFIO_SET_IOMMU} (which needs a
 * group attached), then map DMA.
 *
 * <p>Threading: DMA map/unmap from any thread (the kernel serialises them); {@link #close()}
 * after every user is done.
 */
public final class VfioContainer implements AutoCloseable, KernelDmaSpace.DmaOps {

    private final Fd fd;
    private boolean iommuSet;

    private VfioContainer(Fd fd) {
        this.fd = fd;
    }

    /**
     * Opens the container at {@code path} (normally /dev/vfio/vfio) and checks the API version and
     * Type1v2 support.
     *
     * @throws VfioUnavailableException when the node does not exist (vfio not loaded)
     */
    public static VfioContainer open(Path path) {
        if (!Files.exists(path)) {
            throw new VfioUnavailableException(path.toString());
        }
        Fd fd;
        try {
            fd = Fd.open(path.toString(), libc_h.O_RDWR());
        } catch (SyscallException e) {
            throw VfioErrors.openingContainer(path.toString(), e);
        }
        try {
            int version = fd.ioctl(vfio_h.VFIO_GET_API_VERSION(), 0, "VFIO_GET_API_VERSION");
            if (version != vfio_h.VFIO_API_VERSION()) {
                throw new VfioException("VFIO API version " + version + " at " + path + ", expected "
                        + vfio_h.VFIO_API_VERSION() + ": unsupported kernel");
            }
            if (fd.ioctl(vfio_h.VFIO_CHECK_EXTENSION(), vfio_h.VFIO_TYPE1v2_IOMMU(), "VFIO_CHECK_EXTENSION") <= 0) {
                throw new VfioException("the kernel's VFIO has no Type1v2 IOMMU backend: load vfio_iommu_type1 "
                        + "(modprobe vfio_iommu_type1)");
            }
            return new VfioContainer(fd);
        } catch (SyscallException e) {
            fd.close();
            throw new VfioException(e.getMessage() + ": " + path + " is not a VFIO container", e);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    Fd fd() {
        return fd;
    }

    /**
     * Attaches {@code group} and, after the first group, selects the Type1v2 IOMMU
     * ({@code VFIO_SET_IOMMU} fails until a group is attached).
     */
    public synchronized void attach(VfioGroup group) {
        group.setContainer(this);
        if (!iommuSet) {
            try {
                fd.ioctl(vfio_h.VFIO_SET_IOMMU(), vfio_h.VFIO_TYPE1v2_IOMMU(), "VFIO_SET_IOMMU");
            } catch (SyscallException e) {
                throw VfioErrors.settingIommu(e);
            }
            iommuSet = true;
        }
    }

    /** Page sizes and usable IOVA ranges ({@code VFIO_IOMMU_GET_INFO} with its capability chain). */
    public IommuInfo iommuInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = vfio_iommu_type1_info.allocate(arena);
            vfio_iommu_type1_info.argsz(buf, (int) vfio_iommu_type1_info.sizeof());
            fd.ioctl(vfio_h.VFIO_IOMMU_GET_INFO(), buf, "VFIO_IOMMU_GET_INFO");
            int needed = vfio_iommu_type1_info.argsz(buf);
            if (needed > vfio_iommu_type1_info.sizeof()) {
                // the capability chain did not fit: the kernel says how much it needs
                buf = arena.allocate(needed, 8);
                vfio_iommu_type1_info.argsz(buf, needed);
                fd.ioctl(vfio_h.VFIO_IOMMU_GET_INFO(), buf, "VFIO_IOMMU_GET_INFO");
            }
            return VfioInfoParser.iommuInfo(buf);
        }
    }

    /**
     * Maps {@code size} bytes of host memory at {@code vaddr} to {@code iova}, readable and writable by the device.
     *
     * @throws SyscallException as the kernel answered (ENOSPC: the mapping limit; see {@link KernelDmaSpace})
     */
    @Override
    public void mapDma(long vaddr, long iova, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = vfio_iommu_type1_dma_map.allocate(arena);
            vfio_iommu_type1_dma_map.argsz(m, (int) vfio_iommu_type1_dma_map.sizeof());
            vfio_iommu_type1_dma_map.flags(m, vfio_h.VFIO_DMA_MAP_FLAG_READ() | vfio_h.VFIO_DMA_MAP_FLAG_WRITE());
            vfio_iommu_type1_dma_map.vaddr(m, vaddr);
            vfio_iommu_type1_dma_map.iova(m, iova);
            vfio_iommu_type1_dma_map.size(m, size);
            fd.ioctl(vfio_h.VFIO_IOMMU_MAP_DMA(), m, "VFIO_IOMMU_MAP_DMA");
        }
    }

    /** Unmaps {@code [iova, iova+size)}; returns the number of bytes the kernel unmapped. */
    @Override
    public long unmapDma(long iova, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment u = vfio_iommu_type1_dma_unmap.allocate(arena);
            vfio_iommu_type1_dma_unmap.argsz(u, (int) vfio_iommu_type1_dma_unmap.sizeof());
            vfio_iommu_type1_dma_unmap.iova(u, iova);
            vfio_iommu_type1_dma_unmap.size(u, size);
            fd.ioctl(vfio_h.VFIO_IOMMU_UNMAP_DMA(), u, "VFIO_IOMMU_UNMAP_DMA");
            return vfio_iommu_type1_dma_unmap.size(u);
        }
    }

    /** Closes the container; the kernel drops any DMA mappings left. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }
}
