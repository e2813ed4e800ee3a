package amdvfio.sim.fuzz;

import amdvfio.sim.RawGpu;
import amdvfio.sim.SimProfile;

import java.util.Arrays;
import java.util.Random;

/**
 * Random SDMA packets for one fuzz case: well-formed packets of every opcode with hostile fields
 * (addresses at the last bytes of VRAM and of the GART window, in the unmapped "orphan" pages,
 * anywhere; counts from tiny to the field's maximum; register indices inside and far outside
 * BAR5), mixed with raw garbage dwords. Deterministic for a given {@link Random}.
 */
final class PacketGenerator {

    /** GART pages at the end of the window whose PTEs point at an IOVA that is no longer mapped. */
    static final int ORPHAN_PAGES = 16;
    /** Where IB contents go in the host buffer. */
    static final long IB_AREA = 2L << 20;

    private final Random r;
    private final SimProfile profile;
    private final long fbBase;
    private final long vram;
    private final int bar5Dwords;
    private final java.util.List<int[]> ibs = new java.util.ArrayList<>();
    private int[] out = new int[256];
    private int n;

    PacketGenerator(Random r, SimProfile profile, long fbBase, long vram) {
        this.r = r;
        this.profile = profile;
        this.fbBase = fbBase;
        this.vram = vram;
        this.bar5Dwords = (int) (profile.bar5Bytes() / 4);
    }

    /** A ring's worth of packets: {@code packets} of them. IBs they point at are in {@link #ibs()}. */
    int[] ring(int packets) {
        ibs.clear();
        n = 0;
        for (int i = 0; i < packets; i++) {
            packet(true);
        }
        return Arrays.copyOf(out, n);
    }

    /** The contents of IB {@code i}, to be placed at host offset {@link #ibOffset(int)}. */
    java.util.List<int[]> ibs() {
        return ibs;
    }

    static long ibOffset(int i) {
        return IB_AREA + i * 0x10000L;
    }

    private void emit(int... dws) {
        if (n + dws.length > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, n + dws.length));
        }
        for (int d : dws) {
            out[n++] = d;
        }
    }

    private void packet(boolean allowIb) {
        switch (r.nextInt(16)) {
            case 0 -> emit(r.nextInt());                                       // garbage
            case 1 -> emit(header(0) | (r.nextInt(4) << 16));                 // NOP (burst)
            case 2 -> writeLinear();
            case 3 -> copyLinear();
            case 4 -> constFill();
            case 5 -> fence();
            case 6 -> emit(header(6), r.nextInt());                           // TRAP
            case 7 -> pollRegMem();
            case 8 -> condExe();
            case 9 -> timestamp();
            case 10 -> srbmWrite();
            case 11 -> {
                if (allowIb && ibs.size() < 8) {
                    indirect();
                } else {
                    emit(header(4), r.nextInt(), r.nextInt(), r.nextInt(64), 0, 0); // an IB inside an IB, or anywhere
                }
            }
            case 12 -> emit(header(profile.sdma().dummyTrapOpcode()), r.nextInt()); // DUMMY_TRAP
            case 13 -> emit(header(17), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt()); // GCR_REQ (or undefined)
            case 14 -> emit(header(r.nextInt(256)));                          // any opcode
            default -> writeLinear();
        }
    }

    /** Header of opcode {@code op}; sometimes with random sub-op and high bits. */
    private int header(int op) {
        int h = op;
        if (r.nextInt(10) == 0) {
            h |= r.nextInt() & ~0xFF;
        }
        return h;
    }

    private long address() {
        long gartEnd = RawGpu.GART_START + RawGpu.HOST_BYTES;
        return switch (r.nextInt(12)) {
            case 0, 1, 2 -> RawGpu.GART_START + RawGpu.DATA + (r.nextInt(1 << 20) & ~3);
            case 3 -> fbBase + (r.nextLong(vram) & ~3L);
            case 4 -> fbBase + vram - 1 - r.nextInt(8);                        // the end of VRAM
            case 5 -> gartEnd - 1 - r.nextInt(8);                              // the end of the GART window
            case 6 -> gartEnd - (long) ORPHAN_PAGES * 4096 + r.nextInt(ORPHAN_PAGES * 4096); // unmapped IOVA
            case 7 -> r.nextLong();
            case 8 -> RawGpu.GART_START + RawGpu.DATA + r.nextInt(64);        // unaligned
            case 9 -> fbBase - 4 + r.nextInt(8);                               // just before VRAM
            case 10 -> RawGpu.GART_START - 4 + r.nextInt(8);                   // just before the GART window
            default -> r.nextInt(1 << 16);
        };
    }

    /** A count field: mostly small, sometimes up to 1 MiB, sometimes anything. */
    private int count() {
        int k = r.nextInt(20);
        if (k < 16) {
            return r.nextInt(256);
        }
        return k < 19 ? r.nextInt(1 << 20) : r.nextInt();
    }

    private void addr(long a) {
        emit((int) a, (int) (a >>> 32));
    }

    private void writeLinear() {
        int dwords = r.nextInt(8) == 0 ? r.nextInt(64) : r.nextInt(4);
        emit(header(2));
        addr(address());
        emit(r.nextInt(20) == 0 ? count() : Math.max(0, dwords - 1));
        for (int i = 0; i < dwords; i++) {
            emit(r.nextInt());
        }
    }

    private void copyLinear() {
        emit(header(1), count(), 0);
        addr(address());
        addr(address());
    }

    private void constFill() {
        emit(header(11) | (r.nextInt(4) << 30));
        addr(address());
        emit(r.nextInt(), count());
    }

    private void fence() {
        emit(profile.sdma().ip().fenceHeader());
        addr(address());
        emit(r.nextInt());
    }

    private void pollRegMem() {
        boolean mem = r.nextBoolean();
        boolean hdp = r.nextInt(4) == 0;
        int h = header(8) | (r.nextInt(8) << 28) | (hdp ? 1 << 26 : 0) | (mem ? 1 << 31 : 0);
        int retry = r.nextInt(50) == 0 ? 0xfff : r.nextInt(3);
        int dw5 = r.nextInt(16) | retry << 16;
        if (mem) {
            emit(h);
            addr(address());
        } else {
            emit(h, register() << 2, register() << 2);
        }
        emit(r.nextInt(), r.nextInt(), dw5);
    }

    /** A register index: mostly inside BAR5, sometimes far outside (up to 2^30). */
    private int register() {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt() >>> 2;
            case 1 -> bar5Dwords - 1 + r.nextInt(3);
            default -> r.nextInt(bar5Dwords);
        };
    }

    private void condExe() {
        emit(header(9));
        addr(address());
        emit(r.nextInt(4), r.nextInt(8));
    }

    private void timestamp() {
        emit(header(13) | (r.nextInt(4) << 8));
        addr(address());
    }

    private void srbmWrite() {
        int reg = r.nextInt(4) == 0 ? r.nextInt() & 0x3FFFF : register() & 0x3FFFF;
        emit(header(14) | (r.nextInt(16) << 28), reg, r.nextInt());
    }

    /** An IB of random packets in the host buffer; vmid, alignment and size sometimes wrong. */
    private void indirect() {
        int[] saved = Arrays.copyOf(out, n);
        int packets = 1 + r.nextInt(6);
        n = 0;
        for (int i = 0; i < packets; i++) {
            packet(false);
        }
        int[] contents = Arrays.copyOf(out, n);
        out = Arrays.copyOf(saved, Math.max(saved.length, 256));
        n = saved.length;
        int index = ibs.size();
        ibs.add(contents);
        long base = RawGpu.GART_START + ibOffset(index) + (r.nextInt(10) == 0 ? r.nextInt(32) : 0);
        int size = Math.min(contents.length + (r.nextInt(5) == 0 ? r.nextInt(9) - 4 : 0), 0x3FFF);
        int vmid = r.nextInt(12) == 0 ? 1 + r.nextInt(15) : 0;
        emit(header(4) & ~0xF0000 | vmid << 16);
        addr(base);
        emit(Math.max(0, size), 0, 0);
    }
}
