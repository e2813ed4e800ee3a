package amdvfio.sim.sdma;

/**
 * The packet being executed: its header, opcode, length in dwords and its first dwords (enough
 * for every fixed-size packet; WRITE_LINEAR's payload is fetched as it is written). One per
 * engine and per IB level, reused for every packet.
 */
final class PacketFrame {

    /** The longest fixed part of any modelled packet (COPY_LINEAR, 7 dwords). */
    static final int MAX_FIXED_DWORDS = 8;

    final int[] dw = new int[MAX_FIXED_DWORDS];
    int header;
    int op;
    /** Dwords the packet takes in its ring or IB; COND_EXE adds the dwords it skips. */
    int length;
}
