package amdvfio.vfio;

import amdvfio.os.Fd;

/**
 * Where a BAR can be mmap'd from: {@code size} bytes of {@code fd} starting at {@code offset}.
 * Kernel VFIO: the device descriptor at the region's offset. Simulator: the memfd behind VRAM.
 * The descriptor belongs to the device; it is closed with it.
 */
public record MappableRange(Fd fd, long offset, long size) {
}
