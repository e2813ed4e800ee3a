package amdvfio.sim.sdma;

/**
 * SDMA opcodes and sub-opcodes, header dword 0 {@code op [7:0], sub_op [15:8]}
 * (vega10_sdma_pkt_open.h, navi10_sdma_pkt_open.h, sdma_v6_0_0_pkt_open.h; spec §2.1).
 */
public final class SdmaOpcodes {

    private SdmaOpcodes() {
    }

    public static final int NOP = 0;
    public static final int COPY = 1;
    public static final int WRITE = 2;
    public static final int INDIRECT = 4;
    public static final int FENCE = 5;
    public static final int TRAP = 6;
    public static final int SEM = 7;
    public static final int POLL_REGMEM = 8;
    public static final int COND_EXE = 9;
    public static final int ATOMIC = 10;
    public static final int CONST_FILL = 11;
    public static final int PTEPDE = 12;
    public static final int TIMESTAMP = 13;
    public static final int SRBM_WRITE = 14;
    public static final int PRE_EXE = 15;
    /** 5.x/6.0 only; 16 is DUMMY_TRAP on 4.0. */
    public static final int GPUVM_INV = 16;
    /** 5.x/6.0 only. */
    public static final int GCR_REQ = 17;

    public static final int SUBOP_COPY_LINEAR = 0;
    public static final int SUBOP_WRITE_LINEAR = 0;
    public static final int SUBOP_TIMESTAMP_SET = 0;
    public static final int SUBOP_TIMESTAMP_GET = 1;
    public static final int SUBOP_TIMESTAMP_GET_GLOBAL = 2;
    public static final int SUBOP_POLL_REG_WRITE_MEM = 1;

    public static int op(int header) {
        return header & 0xFF;
    }

    public static int subOp(int header) {
        return (header >>> 8) & 0xFF;
    }

    public static int header(int op, int subOp) {
        return (op & 0xFF) | (subOp & 0xFF) << 8;
    }
}
