package amdvfio.sim.sdma;

import amdvfio.amdgpu.Field;
import amdvfio.amdgpu.SdmaPackets;
import amdvfio.sim.gmc.GpuFaultException;
import amdvfio.sim.regs.RegisterFile;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Execution: what each framed packet does (MODEL.md §3 "Packets"), with strict mode's checks
 * (MODEL.md §8). Memory goes through {@link EngineMemory}; a refused access surfaces as a
 * {@link GpuFaultException} for the engine to turn into PAGE_FAULT. Engine-thread confined.
 */
final class PacketExecutor {

    private final SdmaTraits traits;
    private final SdmaPackets k;
    private final boolean strict;
    private final RegisterFile regs;
    private final QueueRegisters queue;
    private final EngineMemory memory;
    private final EngineErrorState errors;
    private final PacketDecoder decoder;
    private final RingReader ringReader;
    private final RingReader ibReader;
    private final PacketFrame ibFrame = new PacketFrame();
    private final BooleanSupplier runnable;
    private final Runnable registersChanged;
    private final LongSupplier gpuClock;
    private long timestampOffset;
    private long ibPackets;

    PacketExecutor(SdmaTraits traits, boolean strict, RegisterFile regs, QueueRegisters queue, EngineMemory memory,
                   EngineErrorState errors, PacketDecoder decoder, RingReader ringReader, BooleanSupplier runnable,
                   Runnable registersChanged, LongSupplier gpuClock) {
        this.traits = traits;
        this.k = traits.packets();
        this.strict = strict;
        this.regs = regs;
        this.queue = queue;
        this.memory = memory;
        this.errors = errors;
        this.decoder = decoder;
        this.ringReader = ringReader;
        this.ibReader = new RingReader(memory.gmc(), memory.client());
        this.runnable = runnable;
        this.registersChanged = registersChanged;
        this.gpuClock = gpuClock;
    }

    /** F32 reset: the engine's timestamp counter follows the global one again. */
    void reset() {
        timestampOffset = 0;
    }

    /** Packets executed inside IBs since the last call (the engine adds them to its count). */
    long takeIbPackets() {
        long n = ibPackets;
        ibPackets = 0;
        return n;
    }

    /** Executes the framed packet {@code p} whose dwords {@code f} supplies, {@code avail} of them present. */
    PacketOutcome execute(PacketFrame p, Fetch f, long avail, boolean inIb) throws GpuFaultException {
        int[] dw = p.dw;
        int op = p.op;
        if (op == k.opNop) {
            return PacketOutcome.EXECUTED;
        } else if (op == k.opWrite) {
            return writeLinear(p, f);
        } else if (op == k.opCopy) {
            return copyLinear(p);
        } else if (op == k.opConstFill) {
            return constFill(dw);
        } else if (op == k.opFence) {
            return fence(SdmaPacket.Fence.decode(k, dw));
        } else if (op == k.opTrap) {
            return trap(SdmaPacket.Trap.decode(k, dw));
        } else if (op == k.opPollRegmem) {
            return poll(SdmaPacket.PollRegMem.decode(k, dw));
        } else if (op == k.opTimestamp) {
            return timestamp(SdmaPacket.Timestamp.decode(k, dw));
        } else if (op == k.opIndirect) {
            return inIb ? stop(SdmaError.BAD_INDIRECT_BUFFER, "INDIRECT_BUFFER inside an IB")
                    : indirect(SdmaPacket.IndirectBuffer.decode(k, dw));
        } else if (op == k.opSrbmWrite) {
            return srbmWrite(SdmaPacket.SrbmWrite.decode(dw));
        } else if (op == k.opCondExe) {
            return condExe(p, SdmaPacket.CondExe.decode(k, dw), avail);
        } else if (op == k.opDummyTrap || op == k.opGcrReq) {
            return PacketOutcome.EXECUTED; // DUMMY_TRAP / cache requests: no state in the model
        }
        return unsupported("opcode " + op);
    }

    /**
     * Strict mode: a count with bits above its field. The hardware drops them and does less than
     * asked while the fence still signals (spec §2.2), so the model stops the queue here instead.
     */
    private boolean countOverflows(Field count, int raw, String packet) {
        if (!strict || (raw & ~count.mask()) == 0) {
            return false;
        }
        queue.violation("count width", String.format("%s count 0x%x has bits above its %d-bit field (hardware keeps 0x%x)",
                packet, raw, count.width(), count.get(raw)));
        errors.fail(SdmaError.COUNT_TOO_LARGE, String.format("%s count 0x%x wider than %d bits", packet, raw, count.width()));
        return true;
    }

    private PacketOutcome unsupported(String what) {
        return stop(SdmaError.UNSUPPORTED_PACKET, what);
    }

    private PacketOutcome stop(SdmaError e, String detail) {
        errors.fail(e, detail);
        return PacketOutcome.STOPPED;
    }

    private PacketOutcome writeLinear(PacketFrame p, Fetch f) throws GpuFaultException {
        if (k.subOp(p.header) != k.subopWriteLinear) {
            return unsupported("WRITE sub_op " + k.subOp(p.header));
        }
        SdmaPacket.WriteLinear w = SdmaPacket.WriteLinear.decode(k, p.dw);
        if ((w.dst() & 3) != 0 && strict) {
            return stop(SdmaError.UNALIGNED_ADDRESS, String.format("WRITE_LINEAR destination 0x%x", w.dst()));
        }
        memory.writeDwords(w.dst() & ~3L, f, 4, w.dataDwords());
        return PacketOutcome.EXECUTED;
    }

    private PacketOutcome copyLinear(PacketFrame p) throws GpuFaultException {
        if (k.subOp(p.header) != k.subopCopyLinear) {
            return unsupported("COPY sub_op " + k.subOp(p.header));
        }
        if (countOverflows(k.copyCount, p.dw[1], "COPY_LINEAR")) {
            return PacketOutcome.STOPPED;
        }
        SdmaPacket.CopyLinear c = SdmaPacket.CopyLinear.decode(traits, p.dw);
        if (strict && c.bytes() > traits.copyMaxBytes()) {
            return stop(SdmaError.COUNT_TOO_LARGE, String.format("COPY_LINEAR of 0x%x bytes > 0x%x",
                    c.bytes(), traits.copyMaxBytes()));
        }
        memory.copy(c.src(), c.dst(), c.bytes());
        return PacketOutcome.EXECUTED;
    }

    private PacketOutcome constFill(int[] dw) throws GpuFaultException {
        if (countOverflows(k.fillCount, dw[4], "CONSTANT_FILL")) {
            return PacketOutcome.STOPPED;
        }
        SdmaPacket.ConstFill p = SdmaPacket.ConstFill.decode(traits, dw);
        if (strict && p.bytes() > traits.fillMaxBytes()) {
            return stop(SdmaError.COUNT_TOO_LARGE, String.format("CONST_FILL of 0x%x bytes > 0x%x",
                    p.bytes(), traits.fillMaxBytes()));
        }
        if (strict && p.fillSize() == 2 && ((p.dst() & 3) != 0 || (p.bytes() & 3) != 0)) {
            return stop(SdmaError.UNALIGNED_ADDRESS, String.format(
                    "dword CONST_FILL at 0x%x of 0x%x bytes", p.dst(), p.bytes()));
        }
        memory.fill(p.dst(), p.pattern(), p.bytes());
        return PacketOutcome.EXECUTED;
    }

    private PacketOutcome fence(SdmaPacket.Fence p) throws GpuFaultException {
        if ((p.addr() & 3) != 0 && strict) {
            return stop(SdmaError.UNALIGNED_ADDRESS, String.format("FENCE address 0x%x", p.addr()));
        }
        memory.writeInt(p.addr() & ~3L, p.data());
        return PacketOutcome.EXECUTED;
    }

    private PacketOutcome trap(SdmaPacket.Trap p) {
        if (queue.trapEnabled()) { // traps need CNTL.TRAP_ENABLE (spec §4.4)
            memory.trap(p.intContext());
        }
        return PacketOutcome.EXECUTED;
    }

    private PacketOutcome poll(SdmaPacket.PollRegMem p) throws GpuFaultException {
        if (p.subOp() != 0) {
            return unsupported("POLL_REGMEM sub_op " + p.subOp());
        }
        if (!p.memory() && !(regs.contains((int) p.address()) && (!p.hdpFlush() || regs.contains(p.requestReg())))) {
            return stop(SdmaError.BAD_REGISTER, String.format("POLL_REGMEM register 0x%x%s outside the %d-dword BAR",
                    p.address(), p.hdpFlush() ? String.format(" / request 0x%x", p.requestReg()) : "", regs.dwordCount()));
        }
        if (p.hdpFlush() && !p.memory()) {
            // HDP flush: write the request register; the model's HDP has nothing buffered, so the
            // done register shows the requested bits at once (nbio *_hdp_flush, sdma_v*_ring_emit_hdp_flush)
            synchronized (regs) {
                regs.write(p.requestReg(), p.reference());
                int done = (int) p.address();
                regs.setRaw(done, regs.raw(done) | p.reference());
                registersChanged.run(); // the raw store bypassed the hooks
            }
        }
        long tries = SdmaPacket.PollRegMem.forever(k, p.retryCount()) ? Long.MAX_VALUE : p.retryCount() + 1L;
        // interval is in units of 16 clocks (Mesa SDMA_POLL_INTERVAL_160_CLK = 0xa); never spin faster than 50 µs
        long park = Math.max(50_000, p.interval() * 16L);
        for (long t = 0; t < tries; t++) {
            int v = p.memory() ? memory.readInt(p.address()) : regs.read((int) p.address());
            if (p.passes(v)) {
                return PacketOutcome.EXECUTED;
            }
            if (!runnable.getAsBoolean()) {
                return PacketOutcome.STOPPED;
            }
            memory.parkReleased(park);
        }
        return PacketOutcome.EXECUTED; // retries exhausted: continue, as gem5 does (amdgpu always asks for 0xfff)
    }

    private PacketOutcome timestamp(SdmaPacket.Timestamp p) throws GpuFaultException {
        long now = gpuClock.getAsLong();
        int sub = p.subOp();
        if (sub == k.subopTimestampSet) {
            timestampOffset = p.value() - now;
        } else if (sub == k.subopTimestampGet || sub == k.subopTimestampGetGlobal) {
            if ((p.value() & 7) != 0 && strict) {
                return stop(SdmaError.UNALIGNED_ADDRESS, String.format("TIMESTAMP address 0x%x", p.value()));
            }
            long v = sub == k.subopTimestampGet ? now + timestampOffset : now;
            memory.writeLong(p.value() & ~7L, v);
        } else {
            return unsupported("TIMESTAMP sub_op " + sub);
        }
        return PacketOutcome.EXECUTED;
    }

    private PacketOutcome srbmWrite(SdmaPacket.SrbmWrite p) {
        if (!regs.contains(p.register())) {
            return stop(SdmaError.BAD_REGISTER, String.format("SRBM_WRITE register 0x%x outside the %d-dword BAR",
                    p.register(), regs.dwordCount()));
        }
        int m = p.writeMask();
        synchronized (regs) {
            regs.write(p.register(), (regs.read(p.register()) & ~m) | (p.value() & m));
        }
        ringReader.reset(); // the write may have moved the GART under the cached run
        ibReader.reset();
        return PacketOutcome.EXECUTED;
    }

    private PacketOutcome condExe(PacketFrame frame, SdmaPacket.CondExe p, long avail) throws GpuFaultException {
        if ((p.addr() & 3) != 0 && strict) {
            return stop(SdmaError.UNALIGNED_ADDRESS, String.format("COND_EXE address 0x%x", p.addr()));
        }
        if (memory.readInt(p.addr() & ~3L) == p.reference()) {
            return PacketOutcome.EXECUTED;
        }
        // skip the next exec_count dwords as part of this packet
        if (frame.length + p.execCount() > avail) {
            return PacketOutcome.INCOMPLETE;
        }
        frame.length += p.execCount();
        return PacketOutcome.EXECUTED;
    }

    private PacketOutcome indirect(SdmaPacket.IndirectBuffer p) throws GpuFaultException {
        if (!queue.ibEnabled()) {
            return stop(SdmaError.BAD_INDIRECT_BUFFER, "IB_CNTL.IB_ENABLE = 0");
        }
        if (p.vmid() != 0) {
            return stop(SdmaError.BAD_INDIRECT_BUFFER, "IB vmid " + p.vmid() + " (only VMID 0 is modelled)");
        }
        if ((p.base() & 31) != 0 && strict) {
            return stop(SdmaError.UNALIGNED_ADDRESS, String.format("IB base 0x%x", p.base()));
        }
        long base = p.base() & (strict ? ~0L : ~31L);
        long pos = 0;
        ibReader.reset();
        while (pos < p.sizeDwords()) {
            if (!runnable.getAsBoolean()) {
                return PacketOutcome.STOPPED;
            }
            ibReader.atLinear(base + pos * 4);
            long avail = p.sizeDwords() - pos;
            PacketOutcome o = decoder.frame(ibReader, avail, ibFrame);
            if (o == PacketOutcome.EXECUTED) {
                o = execute(ibFrame, ibReader, avail, true);
            }
            if (o == PacketOutcome.INCOMPLETE) {
                return stop(SdmaError.IB_OVERRUN, String.format("packet at IB dword %d runs past its %d dwords",
                        pos, p.sizeDwords()));
            }
            if (o == PacketOutcome.STOPPED) {
                return o;
            }
            pos += ibFrame.length;
            ibPackets++;
        }
        return PacketOutcome.EXECUTED;
    }
}
