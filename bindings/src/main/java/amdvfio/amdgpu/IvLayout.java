package amdvfio.amdgpu;

/**
 * The interrupt vector (IV) entry an SOC15 IH writes, eight dwords (32 bytes), as amdkfd's
 * {@code soc15_int.h} and {@code amdgpu_ih.c}'s {@code amdgpu_ih_decode_iv_helper} read it:
 *
 * <pre>
 *  dw0: [7:0] client id  [15:8] source id  [23:16] ring id  [27:24] vmid      [31] vmid type
 *  dw1: timestamp [31:0]
 *  dw2: [15:0] timestamp [47:32]                                              [31] timestamp source
 *  dw3: [15:0] pasid     [23:16] node id                                      [31] pasid source
 *  dw4..dw7: source data
 * </pre>
 *
 * Those headers spell the layout as function-like macros and C code, which jextract does not
 * export, so it is written here once, for the driver's IH ring reader and the simulator's IH.
 * Immutable.
 */
public final class IvLayout {

    public static final int DWORDS = 8;
    public static final int BYTES = DWORDS * 4;
    /** The dword where the source data starts (dw4). */
    public static final int SRC_DATA_DWORD = 4;

    public static final Field CLIENT_ID = new Field("CLIENT_ID", 0, 0xFF);
    public static final Field SOURCE_ID = new Field("SOURCE_ID", 8, 0xFF << 8);
    public static final Field RING_ID = new Field("RING_ID", 16, 0xFF << 16);
    public static final Field VMID = new Field("VMID", 24, 0xF << 24);
    /** Bit 31 of dw0, dw2 and dw3: vmid type, timestamp source, pasid source. */
    public static final Field SOURCE_BIT = new Field("SOURCE_BIT", 31, 1 << 31);
    public static final Field TIMESTAMP_HI = new Field("TIMESTAMP_HI", 0, 0xFFFF);
    public static final Field PASID = new Field("PASID", 0, 0xFFFF);
    public static final Field NODE_ID = new Field("NODE_ID", 16, 0xFF << 16);

    private IvLayout() {
    }
}
