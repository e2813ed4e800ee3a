package amdvfio.driver.ring;

import amdvfio.driver.Job;
import amdvfio.driver.asic.SdmaTraits;
import amdvfio.driver.ip.sdma.packet.SdmaConstFill;
import amdvfio.driver.ip.sdma.packet.SdmaCopyLinear;
import amdvfio.driver.ip.sdma.packet.SdmaFence;
import amdvfio.driver.ip.sdma.packet.SdmaIndirect;
import amdvfio.driver.ip.sdma.packet.SdmaNop;
import amdvfio.driver.ip.sdma.packet.SdmaTimestamp;
import amdvfio.driver.ip.sdma.packet.SdmaTrap;
import amdvfio.driver.ip.sdma.packet.SdmaWrite;
import java.lang.foreign.MemorySegment;

/**
 * Encodes jobs into SDMA packets at a dword position of a ring or an IB, with one reused
 * flyweight per packet type: encoding allocates nothing. COPY and FILL are split at the
 * profile's per-packet maxima.
 *
 * <p>Threading: one writer per instance (the ring's lock holder).
 */
public final class PacketWriter {

    private final SdmaTraits traits;
    /** {@link SdmaTraits#fenceHeader()}, computed from the packet facts once rather than per fence. */
    private final int fenceHeader;
    final SdmaNop nop;
    final SdmaWrite write;
    final SdmaCopyLinear copy;
    final SdmaConstFill fill;
    final SdmaFence fence;
    final SdmaTrap trap;
    final SdmaTimestamp timestamp;
    final SdmaIndirect indirect;

    public PacketWriter(SdmaTraits traits) {
        this.traits = traits;
        this.fenceHeader = traits.fenceHeader();
        var pkt = traits.packets();
        nop = new SdmaNop(pkt);
        write = new SdmaWrite(pkt);
        copy = new SdmaCopyLinear(pkt);
        fill = new SdmaConstFill(pkt);
        fence = new SdmaFence(pkt);
        trap = new SdmaTrap(pkt);
        timestamp = new SdmaTimestamp(pkt);
        indirect = new SdmaIndirect(pkt);
    }

    /** Dwords the commands of {@code job} take (without fence, trap and padding). */
    public long commandDwords(Job job) {
        long dw = 0;
        for (int i = 0; i < job.commandCount(); i++) {
            dw += switch (job.kind(i)) {
                case Job.COPY -> chunks(job.length(i), traits.copyMaxBytes()) * SdmaCopyLinear.DWORDS;
                case Job.FILL -> chunks(job.length(i), traits.fillMaxBytes()) * SdmaConstFill.DWORDS;
                case Job.WRITE -> SdmaWrite.DWORDS;
                case Job.TIMESTAMP -> SdmaTimestamp.DWORDS;
                case Job.INDIRECT -> 7 + SdmaIndirect.DWORDS; // up to 7 NOPs to end the packet on 8 dwords
                default -> throw new IllegalStateException("unknown command kind " + job.kind(i));
            };
        }
        return dw;
    }

    /** Writes the commands of {@code job} at dword {@code pos} of {@code buf} (mask: ring size − 1, or −1); returns the new position. */
    public long encode(Job job, MemorySegment buf, long pos, long mask) {
        for (int i = 0; i < job.commandCount(); i++) {
            switch (job.kind(i)) {
                case Job.COPY -> pos = encodeCopy(buf, pos, mask, job.src(i).gpuAddress() + job.srcOffset(i),
                        job.dst(i).gpuAddress() + job.dstOffset(i), job.length(i));
                case Job.FILL -> pos = encodeFill(buf, pos, mask, job.dst(i).gpuAddress() + job.dstOffset(i),
                        (byte) job.value(i), job.length(i));
                case Job.WRITE -> {
                    write.wrap(buf, pos, mask).dword(job.dst(i).gpuAddress() + job.dstOffset(i), (int) job.value(i));
                    pos += SdmaWrite.DWORDS;
                }
                case Job.TIMESTAMP -> {
                    timestamp.wrap(buf, pos, mask).getGlobal(job.dst(i).gpuAddress() + job.dstOffset(i));
                    pos += SdmaTimestamp.DWORDS;
                }
                case Job.INDIRECT -> pos = encodeIndirect(buf, pos, mask, job.dst(i).gpuAddress(), (int) job.length(i));
                default -> throw new IllegalStateException("unknown command kind " + job.kind(i));
            }
        }
        return pos;
    }

    /** FENCE(addr, seq) then TRAP(0): {@code *_ring_emit_fence}; 6 dwords. */
    public long encodeFence(MemorySegment buf, long pos, long mask, long fenceAddress, int seq) {
        fence.wrap(buf, pos, mask).fence(fenceHeader, fenceAddress, seq);
        trap.wrap(buf, pos + SdmaFence.DWORDS, mask).trap(0);
        return pos + SdmaFence.DWORDS + SdmaTrap.DWORDS;
    }

    /** INDIRECT_BUFFER placed so it ends on an 8-dword boundary ({@code sdma_v*_ring_emit_ib}). */
    public long encodeIndirect(MemorySegment buf, long pos, long mask, long ibAddress, int ibDwords) {
        int pad = (int) ((2 - pos) & 7);
        if (pad > 0) {
            nop.wrap(buf, pos, mask).pad(pad);
            pos += pad;
        }
        indirect.wrap(buf, pos, mask).ib(0, ibAddress, ibDwords);
        return pos + SdmaIndirect.DWORDS;
    }

    /** NOPs from {@code pos} up to the next multiple of {@code align}; returns the new position. */
    public long padTo(MemorySegment buf, long pos, long mask, int align) {
        int pad = (int) (-pos & (align - 1));
        if (pad > 0) {
            nop.wrap(buf, pos, mask).pad(pad);
        }
        return pos + pad;
    }

    public SdmaWrite write() {
        return write;
    }

    private long encodeCopy(MemorySegment buf, long pos, long mask, long src, long dst, long bytes) {
        long max = traits.copyMaxBytes();
        for (long done = 0; done < bytes; done += max) {
            long n = Math.min(max, bytes - done);
            copy.wrap(buf, pos, mask).copy(src + done, dst + done, n);
            pos += SdmaCopyLinear.DWORDS;
        }
        return pos;
    }

    private long encodeFill(MemorySegment buf, long pos, long mask, long dst, byte value, long bytes) {
        long max = traits.fillMaxBytes();
        for (long done = 0; done < bytes; done += max) {
            long n = Math.min(max, bytes - done);
            fill.wrap(buf, pos, mask).fill(dst + done, value, n);
            pos += SdmaConstFill.DWORDS;
        }
        return pos;
    }

    private static long chunks(long bytes, long max) {
        return (bytes + max - 1) / max;
    }
}
