package amdvfio.sim.smu;

/**
 * The PMFW's answer to one message: the response code it posts, the value it leaves in the
 * argument register ({@code smu_cmn_read_arg} reads it back), and whether the message resets the
 * card once the driver has seen the answer (mode1).
 */
record SmuReply(int status, int argument, boolean resetsCard) {

    static SmuReply of(int status, int argument) {
        return new SmuReply(status, argument, false);
    }
}
