package amdvfio.sim.sdma;

/**
 * Why an SDMA queue stopped. The driver sees any of these as a queue that stopped making progress:
 * the rptr stays at the offending packet and STATUS_REG.IDLE reads 0; a PAGE_FAULT also raises
 * the page-fault IV. Tests read the reason through {@code SimControl.engine(i)}.
 */
public enum SdmaError {
    NONE,
    /** A wptr update not on the ring's fetch alignment (strict). */
    UNALIGNED_WPTR,
    /**
     * FENCE, WRITE_LINEAR or COND_EXE address not 4-byte, IB base not 32-byte, TIMESTAMP address
     * not 8-byte aligned (strict).
     */
    UNALIGNED_ADDRESS,
    /** A count over the per-packet maximum (strict). */
    COUNT_TOO_LARGE,
    /** An opcode the version does not define. */
    UNKNOWN_OPCODE,
    /** A defined packet or sub-op the model does not implement (SEM, ATOMIC, PTEPDE, tiled copies...). */
    UNSUPPORTED_PACKET,
    /** INDIRECT_BUFFER while IB_CNTL.IB_ENABLE = 0, an IB inside an IB, or an IB with a non-zero VMID. */
    BAD_INDIRECT_BUFFER,
    /** A packet runs past the end of its IB. */
    IB_OVERRUN,
    /** A memory access faulted (see the recorded GpuFault). */
    PAGE_FAULT,
    /** POLL_REGMEM or SRBM_WRITE named a register outside the register BAR. */
    BAD_REGISTER,
    /**
     * The model itself failed on a packet (a simulator bug, never a driver error): the queue stops
     * instead of the engine thread dying. The packet fuzzer treats it as a failure.
     */
    MODEL_ERROR
}
