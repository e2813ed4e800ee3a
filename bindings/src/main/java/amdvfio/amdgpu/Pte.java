package amdvfio.amdgpu;

/**
 * The GART page-table entry bits the driver writes and the simulator honours: a flat table of
 * 64-bit PTEs, one per 4 KiB page of the aperture (VM_CONTEXT0 PAGE_TABLE_DEPTH = 0). Bits from
 * {@code amdgpu_vm.h} ({@code AMDGPU_PTE_*}), which jextract cannot read on its own (it pulls in
 * the kernel's scheduler and idr headers), so they are typed here, once, for both sides:
 *
 * <pre>
 *  63            48 47                                 12 11   7 6 5 4 3 2 1 0
 * +----------------+-------------------------------------+------+-+-+-+-+-+-+-+
 * |   (not used)   |   page address [47:12]              | FRAG |W|R|X|T|S|Y|V|
 * +----------------+-------------------------------------+------+-+-+-+-+-+-+-+
 *   V = VALID, Y = SYSTEM (address is a bus address/IOVA, else VRAM physical), S = SNOOPED,
 *   T = TMZ, X = EXECUTABLE, R = READABLE, W = WRITEABLE
 * </pre>
 */
public final class Pte {

    private Pte() {
    }

    public static final long VALID = 1L << 0;
    public static final long SYSTEM = 1L << 1;
    public static final long SNOOPED = 1L << 2;
    public static final long TMZ = 1L << 3;
    public static final long EXECUTABLE = 1L << 4;
    public static final long READABLE = 1L << 5;
    public static final long WRITEABLE = 1L << 6;
    public static final long ADDRESS_MASK = 0x0000_FFFF_FFFF_F000L;
    public static final long PAGE = 4096;

    /** A system-memory PTE for {@code iova} with read/write access, as amdgpu's GART binds GTT pages. */
    public static long system(long iova) {
        return (iova & ADDRESS_MASK) | VALID | SYSTEM | SNOOPED | READABLE | WRITEABLE;
    }

    /** A VRAM PTE for physical VRAM offset {@code vramOffset}. */
    public static long vram(long vramOffset) {
        return (vramOffset & ADDRESS_MASK) | VALID | READABLE | WRITEABLE;
    }
}
