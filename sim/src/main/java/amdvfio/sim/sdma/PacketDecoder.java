package amdvfio.sim.sdma;

import amdvfio.sim.gmc.GpuFaultException;

/**
 * Packet framing: from the header, how many dwords a packet takes (spec §2, the pkt_open.h
 * layouts), and whether they are all available. An opcode the model cannot frame stops the queue:
 * UNSUPPORTED_PACKET for one the version defines (SEM, ATOMIC, PTEPDE, PRE_EXE, GPUVM_INV),
 * UNKNOWN_OPCODE otherwise (spec §9.6: stop and flag, never skip).
 */
final class PacketDecoder {

    private final SdmaTraits traits;
    private final amdvfio.amdgpu.SdmaPackets k;
    private final EngineErrorState errors;

    PacketDecoder(SdmaTraits traits, EngineErrorState errors) {
        this.traits = traits;
        this.k = traits.packets();
        this.errors = errors;
    }

    /** Fills {@code out} with the packet at {@code f}, of which {@code avail} dwords are there. */
    PacketOutcome frame(Fetch f, long avail, PacketFrame out) throws GpuFaultException {
        int header = f.dword(0);
        int op = k.op(header);
        out.header = header;
        out.op = op;
        if (op == k.opWrite && avail < 4) {
            return PacketOutcome.INCOMPLETE; // its length is in dw3
        }
        int len = length(header, op, f);
        if (len == 0) {
            return PacketOutcome.STOPPED;
        }
        if (len > avail) {
            return PacketOutcome.INCOMPLETE;
        }
        out.length = len;
        out.dw[0] = header;
        int fixed = Math.min(len, PacketFrame.MAX_FIXED_DWORDS);
        for (int i = 1; i < fixed; i++) {
            out.dw[i] = f.dword(i);
        }
        return PacketOutcome.EXECUTED;
    }

    /** Dwords of the packet with {@code header} if it is a NOP (1 + its count), else 0. */
    int nopLength(int header) {
        return k.op(header) == k.opNop ? 1 + SdmaPacket.Nop.countOf(k, header) : 0;
    }

    /** Length in dwords; 0 after stopping the queue on an opcode the model cannot frame. */
    private int length(int header, int op, Fetch f) throws GpuFaultException {
        if (op == k.opNop) {
            return 1 + SdmaPacket.Nop.countOf(k, header);
        } else if (op == k.opWrite) {
            return 4 + SdmaPacket.WriteLinear.countOf(k, f.dword(3)) + 1;
        } else if (op == k.opCopy) {
            return 7;
        } else if (op == k.opConstFill || op == k.opCondExe || op == k.opGcrReq) {
            return 5;
        } else if (op == k.opFence) {
            return 4;
        } else if (op == k.opTrap || op == k.opDummyTrap) {
            return 2;
        } else if (op == k.opPollRegmem || op == k.opIndirect) {
            return 6;
        } else if (op == k.opTimestamp || op == k.opSrbmWrite) {
            return 3;
        }
        boolean defined = op == k.opSem || op == k.opAtomic || op == k.opPtepde || op == k.opPreExe || op == k.opGpuvmInv;
        errors.fail(defined ? SdmaError.UNSUPPORTED_PACKET : SdmaError.UNKNOWN_OPCODE,
                String.format("opcode %d (header 0x%08x)", op, header));
        return 0;
    }
}
