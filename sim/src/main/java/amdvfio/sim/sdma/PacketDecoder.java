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
    private final EngineErrorState errors;

    PacketDecoder(SdmaTraits traits, EngineErrorState errors) {
        this.traits = traits;
        this.errors = errors;
    }

    /** Fills {@code out} with the packet at {@code f}, of which {@code avail} dwords are there. */
    PacketOutcome frame(Fetch f, long avail, PacketFrame out) throws GpuFaultException {
        int header = f.dword(0);
        int op = SdmaOpcodes.op(header);
        out.header = header;
        out.op = op;
        if (op == SdmaOpcodes.WRITE && avail < 4) {
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

    /** Length in dwords; 0 after stopping the queue on an opcode the model cannot frame. */
    private int length(int header, int op, Fetch f) throws GpuFaultException {
        return switch (op) {
            case SdmaOpcodes.NOP -> 1 + SdmaPacket.Nop.countOf(header);
            case SdmaOpcodes.WRITE -> 4 + SdmaPacket.WriteLinear.countOf(f.dword(3)) + 1;
            case SdmaOpcodes.COPY -> 7;
            case SdmaOpcodes.CONST_FILL, SdmaOpcodes.COND_EXE -> 5;
            case SdmaOpcodes.FENCE -> 4;
            case SdmaOpcodes.TRAP -> 2;
            case SdmaOpcodes.POLL_REGMEM, SdmaOpcodes.INDIRECT -> 6;
            case SdmaOpcodes.TIMESTAMP, SdmaOpcodes.SRBM_WRITE -> 3;
            default -> {
                if (op == traits.dummyTrapOpcode()) {
                    yield 2;
                }
                if (traits.hasGcrReq() && op == SdmaOpcodes.GCR_REQ) {
                    yield 5;
                }
                boolean defined = op <= SdmaOpcodes.PRE_EXE && op != 3 || (traits.version().atLeast(SdmaVersion.V5_0)
                        && op == SdmaOpcodes.GPUVM_INV);
                errors.fail(defined ? SdmaError.UNSUPPORTED_PACKET : SdmaError.UNKNOWN_OPCODE,
                        String.format("opcode %d (header 0x%08x)", op, header));
                yield 0;
            }
        };
    }
}
