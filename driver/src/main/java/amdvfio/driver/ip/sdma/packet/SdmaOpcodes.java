package amdvfio.driver.ip.sdma.packet;

/** SDMA opcodes, identical in the 4.0, 5.x and 6.0 pkt_open headers (spec §2.1). */
public final class SdmaOpcodes {
    public static final int NOP = 0;
    public static final int COPY = 1;
    public static final int WRITE = 2;
    public static final int INDIRECT = 4;
    public static final int FENCE = 5;
    public static final int TRAP = 6;
    public static final int POLL_REGMEM = 8;
    public static final int CONST_FILL = 11;
    public static final int TIMESTAMP = 13;

    public static final int SUBOP_COPY_LINEAR = 0;
    public static final int SUBOP_WRITE_LINEAR = 0;
    public static final int SUBOP_TIMESTAMP_GET_GLOBAL = 2;

    private SdmaOpcodes() {
    }
}
