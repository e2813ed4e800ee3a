package amdvfio.sim.sdma;

import amdvfio.amdgpu.SdmaPackets;

/**
 * The SDMA packets the model executes, each decoded from its dwords by a small record. Field
 * positions are the {@code _offset/_mask/_shift} macros of the pkt_open headers (spec §2.2), read
 * from the version's {@link SdmaPackets} (generated) wherever the header selection has them.
 * {@code dw} arrays hold the packet from its header on.
 */
public sealed interface SdmaPacket {

    /** Total length in dwords, header included. */
    int dwords();

    private static long addr64(int lo, int hi) {
        return Integer.toUnsignedLong(lo) | ((long) hi << 32);
    }

    private static int bits(int v, int lo, int hi) {
        return (int) ((Integer.toUnsignedLong(v) >>> lo) & ((1L << (hi - lo + 1)) - 1));
    }

    /**
     * NOP, 1 + count dwords.
     * <pre>
     * dw0 [7:0] op=0 [15:8] sub_op [29:16] count (extra dwords skipped: burst NOP)
     * </pre>
     */
    record Nop(int count) implements SdmaPacket {
        public static Nop decode(SdmaPackets k, int[] dw) {
            return new Nop(countOf(k, dw[0]));
        }

        public static int countOf(SdmaPackets k, int header) {
            return k.nopCount.get(header);
        }

        @Override
        public int dwords() {
            return 1 + count;
        }
    }

    /**
     * WRITE_LINEAR, 4 + (count + 1) dwords.
     * <pre>
     * dw0 op=2 sub_op=0 [16] encrypt [18] tmz
     * dw1 dst_addr[31:0]
     * dw2 dst_addr[63:32]
     * dw3 [19:0] count = dwords − 1  [25:24] swap
     * dw4.. data
     * </pre>
     */
    record WriteLinear(long dst, int count) implements SdmaPacket {
        public static WriteLinear decode(SdmaPackets k, int[] dw) {
            return new WriteLinear(addr64(dw[1], dw[2]), countOf(k, dw[3]));
        }

        public static int countOf(SdmaPackets k, int dw3) {
            return k.writeCount.get(dw3);
        }

        public int dataDwords() {
            return count + 1;
        }

        @Override
        public int dwords() {
            return 4 + count + 1;
        }
    }

    /**
     * COPY_LINEAR, 7 dwords.
     * <pre>
     * dw0 op=1 sub_op=0 [16] encrypt [18] tmz [25] backwards (5/6) [27] broadcast
     * dw1 count = bytes − 1: [21:0] on 4.0/5.x (the navi10 header, 5.2 included), [29:0] on 6.0;
     *     bits above the field are dropped, as the hardware drops them (strict mode flags them)
     * dw2 [17:16] dst_sw [25:24] src_sw
     * dw3 src_addr[31:0]  dw4 src_addr[63:32]
     * dw5 dst_addr[31:0]  dw6 dst_addr[63:32]
     * </pre>
     */
    record CopyLinear(long count, long src, long dst, boolean tmz, boolean backwards, boolean broadcast)
            implements SdmaPacket {
        public static CopyLinear decode(SdmaTraits t, int[] dw) {
            SdmaPackets k = t.packets();
            return new CopyLinear(Integer.toUnsignedLong(k.copyCount.get(dw[1])), addr64(dw[3], dw[4]), addr64(dw[5], dw[6]),
                    k.copyTmz.isSet(dw[0]), k.copyBackwards != null && k.copyBackwards.isSet(dw[0]),
                    k.copyBroadcast.isSet(dw[0]));
        }

        public long bytes() {
            return count + 1;
        }

        @Override
        public int dwords() {
            return 7;
        }
    }

    /**
     * CONST_FILL, 5 dwords.
     * <pre>
     * dw0 op=11 [17:16] sw [31:30] fillsize
     * dw1 dst_addr[31:0]  dw2 dst_addr[63:32]
     * dw3 src_data (32-bit pattern)
     * dw4 count = bytes − 1: [21:0] on 4.0/5.x, [29:0] on 6.0
     * </pre>
     */
    record ConstFill(long dst, int pattern, long count, int fillSize) implements SdmaPacket {
        public static ConstFill decode(SdmaTraits t, int[] dw) {
            SdmaPackets k = t.packets();
            return new ConstFill(addr64(dw[1], dw[2]), dw[3], Integer.toUnsignedLong(k.fillCount.get(dw[4])), k.fillSize.get(dw[0]));
        }

        public long bytes() {
            return count + 1;
        }

        @Override
        public int dwords() {
            return 5;
        }
    }

    /**
     * FENCE, 4 dwords.
     * <pre>
     * dw0 op=5; 5/6: [18:16] mtype [19] gcc [20] sys [22] snp [23] gpa [25:24] l2_policy
     * dw1 addr[31:0] (4-byte aligned)  dw2 addr[63:32]
     * dw3 data
     * </pre>
     */
    record Fence(long addr, int data, int mtype) implements SdmaPacket {
        public static Fence decode(SdmaPackets k, int[] dw) {
            return new Fence(addr64(dw[1], dw[2]), dw[3], k.fenceMtype == null ? 0 : k.fenceMtype.get(dw[0]));
        }

        @Override
        public int dwords() {
            return 4;
        }
    }

    /**
     * TRAP, 2 dwords.
     * <pre>
     * dw0 op=6
     * dw1 [27:0] int_context (→ IV src_data[0])
     * </pre>
     */
    record Trap(int intContext) implements SdmaPacket {
        public static Trap decode(SdmaPackets k, int[] dw) {
            return new Trap(k.trapIntContext.get(dw[1]));
        }

        @Override
        public int dwords() {
            return 2;
        }
    }

    /**
     * POLL_REGMEM, 6 dwords.
     * <pre>
     * dw0 op=8 [15:8] sub_op [26] hdp_flush [30:28] func [31] mem_poll
     * dw1 memory: addr[31:0] (&amp; ~3); register: dword offset &lt;&lt; 2 (with hdp_flush: the "done" register)
     * dw2 memory: addr[63:32]; register + hdp_flush: "request" register &lt;&lt; 2
     * dw3 reference  dw4 mask
     * dw5 [15:0] interval [27:16] retry_count (0xfff = forever)
     * </pre>
     * func: 0 always, 1 &lt;, 2 &lt;=, 3 ==, 4 !=, 5 &gt;=, 6 &gt;, compared as {@code (value & mask) func reference}.
     */
    record PollRegMem(boolean memory, boolean hdpFlush, int func, long address, int requestReg, int reference,
                      int mask, int interval, int retryCount, int subOp) implements SdmaPacket {
        /** All ones in retry_count: poll forever (amdgpu asks for 0xfff). */
        public static boolean forever(SdmaPackets k, int retryCount) {
            return retryCount == k.pollRetryCount.max();
        }

        public static PollRegMem decode(SdmaPackets k, int[] dw) {
            boolean mem = k.pollMemPoll.isSet(dw[0]);
            long a = mem ? addr64(dw[1] & ~3, dw[2]) : Integer.toUnsignedLong(dw[1]) >>> 2;
            return new PollRegMem(mem, k.pollHdpFlush.isSet(dw[0]), k.pollFunc.get(dw[0]), a, dw[2] >>> 2, dw[3], dw[4],
                    k.pollInterval.get(dw[5]), k.pollRetryCount.get(dw[5]), k.subOp(dw[0]));
        }

        /** Unsigned comparison of the masked value with the reference. */
        public boolean passes(int value) {
            long v = Integer.toUnsignedLong(value & mask);
            long r = Integer.toUnsignedLong(reference);
            return switch (func) {
                case 0 -> true;
                case 1 -> v < r;
                case 2 -> v <= r;
                case 3 -> v == r;
                case 4 -> v != r;
                case 5 -> v >= r;
                case 6 -> v > r;
                default -> false;
            };
        }

        @Override
        public int dwords() {
            return 6;
        }
    }

    /**
     * TIMESTAMP, 3 dwords.
     * <pre>
     * dw0 op=13 sub_op 0 SET / 1 GET / 2 GET_GLOBAL
     * dw1 SET: init_data[31:0]; GET*: write_addr[31:3] (8-byte aligned)
     * dw2 SET: init_data[63:32]; GET*: write_addr[63:32]
     * </pre>
     */
    record Timestamp(int subOp, long value) implements SdmaPacket {
        public static Timestamp decode(SdmaPackets k, int[] dw) {
            return new Timestamp(k.subOp(dw[0]), addr64(dw[1], dw[2]));
        }

        @Override
        public int dwords() {
            return 3;
        }
    }

    /**
     * INDIRECT_BUFFER, 6 dwords.
     * <pre>
     * dw0 op=4 [19:16] vmid; 5/6: [31] priv
     * dw1 ib_base[31:0] (32-byte aligned)  dw2 ib_base[63:32]
     * dw3 [19:0] ib_size in dwords (not minus one)
     * dw4 csa_addr[31:0]  dw5 csa_addr[63:32]
     * </pre>
     */
    record IndirectBuffer(int vmid, long base, int sizeDwords, long csa, boolean priv) implements SdmaPacket {
        public static IndirectBuffer decode(SdmaPackets k, int[] dw) {
            return new IndirectBuffer(k.indirectVmid.get(dw[0]), addr64(dw[1], dw[2]), k.indirectIbSize.get(dw[3]),
                    addr64(dw[4], dw[5]), dw[0] < 0);
        }

        @Override
        public int dwords() {
            return 6;
        }
    }

    /**
     * SRBM_WRITE, 3 dwords.
     * <pre>
     * dw0 op=14 [31:28] byte_en
     * dw1 [17:0] register dword offset; 5/6: [31:20] apertureid
     * dw2 value
     * </pre>
     */
    record SrbmWrite(int byteEnable, int register, int value) implements SdmaPacket {
        public static SrbmWrite decode(int[] dw) {
            return new SrbmWrite(bits(dw[0], 28, 31), bits(dw[1], 0, 17), dw[2]);
        }

        /** The bits of the register the byte enables let through. */
        public int writeMask() {
            int m = 0;
            for (int i = 0; i < 4; i++) {
                if ((byteEnable & (1 << i)) != 0) {
                    m |= 0xFF << (8 * i);
                }
            }
            return m;
        }

        @Override
        public int dwords() {
            return 3;
        }
    }

    /**
     * COND_EXE, 5 dwords: execute the next {@code exec_count} dwords only if the 32-bit value at
     * {@code addr} equals {@code reference} (amdgpu init_cond_exec writes reference 1).
     * <pre>
     * dw0 op=9  dw1 addr[31:0]  dw2 addr[63:32]  dw3 reference  dw4 [13:0] exec_count
     * </pre>
     */
    record CondExe(long addr, int reference, int execCount) implements SdmaPacket {
        public static CondExe decode(SdmaPackets k, int[] dw) {
            return new CondExe(addr64(dw[1], dw[2]), dw[3], k.condExeCount.get(dw[4]));
        }

        @Override
        public int dwords() {
            return 5;
        }
    }

    /** GCR_REQ (5.x/6.0), 5 dwords: a cache flush/invalidate request; the model has no caches. */
    record GcrReq() implements SdmaPacket {
        @Override
        public int dwords() {
            return 5;
        }
    }
}
