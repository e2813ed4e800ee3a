package amdvfio.driver.ip.smu;

/**
 * What the SMU answered, as amdgpu's {@code __smu_cmn_reg2errno} reads C2PMSG_90 ({@code smu_cmn.c}).
 */
public enum SmuStatus {
    /** 0x1: executed and succeeded. */
    OK("succeeded"),
    /** 0xFF (-EIO): executed, the result is failure (e.g. an argument the PMFW does not take). */
    FAILED("failed (the PMFW executed it and reports failure)"),
    /** 0xFE (-EOPNOTSUPP): the PMFW does not know this message. */
    UNKNOWN_COMMAND("is not a message this PMFW knows"),
    /** 0xFD (-EINVAL): valid message, its prerequisites are not met. */
    BAD_PREREQUISITE("was refused: its prerequisites are not met"),
    /** 0xFC (-EBUSY): the SMU is busy with another message. */
    BUSY("was refused: the SMU is busy with another message"),
    /** 0 after the timeout (-ETIME): the SMU never answered (no PMFW running, or hung). */
    NO_RESPONSE("got no answer (no PMFW running, or the SMU hangs)"),
    /** Anything else (-EREMOTEIO): amdgpu then considers the SMU hung. */
    UNDEFINED("got an undefined answer");

    private final String says;

    SmuStatus(String says) {
        this.says = says;
    }

    /** A sentence fragment after the message name. */
    public String says() {
        return says;
    }
}
