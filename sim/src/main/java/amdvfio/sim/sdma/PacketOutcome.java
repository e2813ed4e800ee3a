package amdvfio.sim.sdma;

/** What became of one packet. */
enum PacketOutcome {
    /** Done: the read pointer moves past {@link PacketFrame#length} dwords. */
    EXECUTED,
    /** Its dwords are not all there yet (the wptr ends inside it): wait for more. */
    INCOMPLETE,
    /**
     * The queue stopped at this packet, its read pointer stays on it: an error (recorded in the
     * engine's error state), or the queue was halted, disabled or removed meanwhile.
     */
    STOPPED
}
