package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.navi10_sdma_pkt_open_h;
import amdvfio.bindings.amdgpu.sdma_v6_0_0_pkt_open_h;
import amdvfio.bindings.amdgpu.vega10_sdma_pkt_open_h;

/**
 * The SDMA packet facts of one pkt_open header: opcodes, sub-opcodes and the fields amdvfio
 * encodes or decodes, with their widths ({@code SDMA_PKT_<packet>_<dword>_<field>_{shift,mask}}).
 * One instance per header: {@link #V4_0} ({@code vega10_sdma_pkt_open.h}), {@link #V5} (the
 * {@code navi10_sdma_pkt_open.h} that both {@code sdma_v5_0.c} and {@code sdma_v5_2.c} include)
 * and {@link #V6_0} ({@code sdma_v6_0_0_pkt_open.h}). An opcode the header does not define is −1;
 * a field it does not define is null. Immutable.
 */
public final class SdmaPackets {

    public static final SdmaPackets V4_0 = new SdmaPackets(HeaderFacts.of(vega10_sdma_pkt_open_h.class));
    public static final SdmaPackets V5 = new SdmaPackets(HeaderFacts.of(navi10_sdma_pkt_open_h.class));
    public static final SdmaPackets V6_0 = new SdmaPackets(HeaderFacts.of(sdma_v6_0_0_pkt_open_h.class));

    public final String header;

    public final int opNop;
    public final int opCopy;
    public final int opWrite;
    public final int opIndirect;
    public final int opFence;
    public final int opTrap;
    public final int opSem;
    public final int opPollRegmem;
    public final int opCondExe;
    public final int opAtomic;
    public final int opConstFill;
    public final int opPtepde;
    public final int opTimestamp;
    public final int opSrbmWrite;
    public final int opPreExe;
    public final int opGpuvmInv;
    public final int opGcrReq;
    public final int opDummyTrap;

    public final int subopCopyLinear;
    public final int subopWriteLinear;
    public final int subopTimestampSet;
    public final int subopTimestampGet;
    public final int subopTimestampGetGlobal;
    public final int subopPollRegWriteMem;

    /** Header dword 0: op [7:0], sub_op [15:8] (the same in every packet). */
    public final Field headerOp;
    public final Field headerSubOp;
    public final Field nopCount;
    public final Field copyCount;
    public final Field copyTmz;
    /** COPY_LINEAR header backwards (5.x/6.0; null on 4.0). */
    public final Field copyBackwards;
    public final Field copyBroadcast;
    public final Field fillCount;
    public final Field fillSize;
    public final Field writeCount;
    public final Field indirectVmid;
    public final Field indirectIbSize;
    public final Field trapIntContext;
    public final Field fenceMtype;
    public final Field condExeCount;
    public final Field pollFunc;
    public final Field pollMemPoll;
    public final Field pollHdpFlush;
    public final Field pollInterval;
    public final Field pollRetryCount;

    private SdmaPackets(HeaderFacts h) {
        header = h.toString();
        opNop = h.intConstant("SDMA_OP_NOP");
        opCopy = h.intConstant("SDMA_OP_COPY");
        opWrite = h.intConstant("SDMA_OP_WRITE");
        opIndirect = h.intConstant("SDMA_OP_INDIRECT");
        opFence = h.intConstant("SDMA_OP_FENCE");
        opTrap = h.intConstant("SDMA_OP_TRAP");
        opSem = h.intConstant("SDMA_OP_SEM");
        opPollRegmem = h.intConstant("SDMA_OP_POLL_REGMEM");
        opCondExe = h.intConstant("SDMA_OP_COND_EXE");
        opAtomic = h.intConstant("SDMA_OP_ATOMIC");
        opConstFill = h.intConstant("SDMA_OP_CONST_FILL");
        opPtepde = h.intConstant("SDMA_OP_PTEPDE");
        opTimestamp = h.intConstant("SDMA_OP_TIMESTAMP");
        opSrbmWrite = h.intConstant("SDMA_OP_SRBM_WRITE");
        opPreExe = h.intConstant("SDMA_OP_PRE_EXE");
        opGpuvmInv = optionalOp(h, "SDMA_OP_GPUVM_INV");
        opGcrReq = optionalOp(h, "SDMA_OP_GCR_REQ");
        opDummyTrap = h.intConstant("SDMA_OP_DUMMY_TRAP");
        subopCopyLinear = h.intConstant("SDMA_SUBOP_COPY_LINEAR");
        subopWriteLinear = h.intConstant("SDMA_SUBOP_WRITE_LINEAR");
        subopTimestampSet = h.intConstant("SDMA_SUBOP_TIMESTAMP_SET");
        subopTimestampGet = h.intConstant("SDMA_SUBOP_TIMESTAMP_GET");
        subopTimestampGetGlobal = h.intConstant("SDMA_SUBOP_TIMESTAMP_GET_GLOBAL");
        subopPollRegWriteMem = h.intConstant("SDMA_SUBOP_POLL_REG_WRITE_MEM");
        headerOp = h.packetField("COPY_LINEAR_HEADER", "op");
        headerSubOp = h.packetField("COPY_LINEAR_HEADER", "sub_op");
        nopCount = h.packetField("NOP_HEADER", "count");
        copyCount = h.packetField("COPY_LINEAR_COUNT", "count");
        copyTmz = h.packetField("COPY_LINEAR_HEADER", "tmz");
        copyBackwards = h.has("SDMA_PKT_COPY_LINEAR_HEADER_backwards_shift") ? h.packetField("COPY_LINEAR_HEADER", "backwards") : null;
        copyBroadcast = h.packetField("COPY_LINEAR_HEADER", "broadcast");
        fillCount = h.packetField("CONSTANT_FILL_COUNT", "count");
        fillSize = h.packetField("CONSTANT_FILL_HEADER", "fillsize");
        writeCount = h.packetField("WRITE_UNTILED_DW_3", "count");
        indirectVmid = h.packetField("INDIRECT_HEADER", "vmid");
        indirectIbSize = h.packetField("INDIRECT_IB_SIZE", "ib_size");
        trapIntContext = h.packetField("TRAP_INT_CONTEXT", "int_context");
        fenceMtype = h.has("SDMA_PKT_FENCE_HEADER_mtype_shift") ? h.packetField("FENCE_HEADER", "mtype") : null;
        condExeCount = h.packetField("COND_EXE_EXEC_COUNT", "exec_count");
        pollFunc = h.packetField("POLL_REGMEM_HEADER", "func");
        pollMemPoll = h.packetField("POLL_REGMEM_HEADER", "mem_poll");
        pollHdpFlush = h.packetField("POLL_REGMEM_HEADER", "hdp_flush");
        pollInterval = h.packetField("POLL_REGMEM_DW5", "interval");
        pollRetryCount = h.packetField("POLL_REGMEM_DW5", "retry_count");
    }

    private static int optionalOp(HeaderFacts h, String name) {
        return h.has(name) ? h.intConstant(name) : -1;
    }

    /** Header dword 0 of a packet. */
    public int header(int op, int subOp) {
        return headerOp.encode(op) | headerSubOp.encode(subOp);
    }

    public int op(int header) {
        return headerOp.get(header);
    }

    public int subOp(int header) {
        return headerSubOp.get(header);
    }

    @Override
    public String toString() {
        return header;
    }
}
