package amdvfio.sim.smu;

/**
 * The power-management firmware running on MP1: what it remembers between messages and how it
 * answers each one. It runs only once the PSP has loaded it (LOAD_IP_FW type SMU, or the VBIOS
 * on Vega10); until then, and after a reset, nothing answers.
 *
 * <p>Rules, with their sources:
 * <ul>
 * <li>an id the PMFW does not know: UnknownCmd (0xFE, {@code smu_cmn.c} "Unknown command--ignored
 *     by the SMU");</li>
 * <li>GetSmuVersion answers the version in the argument register ({@code smu_cmn_get_smc_version});</li>
 * <li>EnableAllSmuFeatures before the driver table address is known: CmdRejectedPrereq (0xFD,
 *     "valid command, bad prerequisites"). amdgpu always sets the table first
 *     ({@code smu_v13_0_set_driver_table_location} in {@code smu_smc_hw_setup}); that the PMFW
 *     refuses the other order is an inference, not a documented fact;</li>
 * <li>Mode1Reset takes 0, or 1 << 16 (RAS fatal) from the PMFW version that supports it
 *     ({@code smu_v13_0_0_set_mode1_reset_param}); anything else: Failed (0xFF).</li>
 * </ul>
 * Not thread-safe: the {@link Smu} calls it under the register file's lock.
 */
final class SmuFirmware {

    static final int RAS_FATAL_MODE1 = 1 << 16;

    private final SmuDialect dialect;
    private int version;
    private int dramHigh;
    private int dramLow;
    private boolean dramHighSet;
    private boolean dramLowSet;
    private long allowedMask = -1L;
    private long enabledFeatures;
    private boolean preparedForUnload;

    SmuFirmware(SmuDialect dialect) {
        this.dialect = dialect;
    }

    boolean running() {
        return version != 0;
    }

    int version() {
        return version;
    }

    void load(int pmfwVersion) {
        powerLost();
        version = pmfwVersion;
    }

    /** Reset or power loss: the PMFW is gone with everything it was told. */
    void powerLost() {
        version = 0;
        dramHighSet = false;
        dramLowSet = false;
        allowedMask = -1L;
        enabledFeatures = 0;
        preparedForUnload = false;
    }

    long driverTableAddress() {
        return dramHighSet && dramLowSet ? (Integer.toUnsignedLong(dramHigh) << 32) | Integer.toUnsignedLong(dramLow) : -1;
    }

    long enabledFeatures() {
        return enabledFeatures;
    }

    boolean preparedForUnload() {
        return preparedForUnload;
    }

    /** One message on the driver mailbox. */
    SmuReply execute(int message, int argument) {
        SmuDialect.Results r = dialect.results();
        if (message <= 0 || message > 0xFFFF) {
            return SmuReply.of(r.unknownCmd(), argument);
        }
        if (message == dialect.testMessage()) {
            return SmuReply.of(r.ok(), argument);
        }
        if (message == dialect.getSmuVersion()) {
            return SmuReply.of(r.ok(), version);
        }
        if (message == dialect.setDriverDramAddrHigh()) {
            dramHigh = argument;
            dramHighSet = true;
            return SmuReply.of(r.ok(), argument);
        }
        if (message == dialect.setDriverDramAddrLow()) {
            dramLow = argument;
            dramLowSet = true;
            return SmuReply.of(r.ok(), argument);
        }
        if (message == dialect.allowedMaskLow() || message == dialect.allowedMaskHigh()) {
            boolean high = message == dialect.allowedMaskHigh();
            long part = Integer.toUnsignedLong(argument) << (high ? 32 : 0);
            allowedMask = (allowedMask & (high ? 0xFFFF_FFFFL : 0xFFFF_FFFF_0000_0000L)) | part;
            return SmuReply.of(r.ok(), argument);
        }
        return executeControl(message, argument, r);
    }

    private SmuReply executeControl(int message, int argument, SmuDialect.Results r) {
        if (message == dialect.enableFeatures()) {
            if (driverTableAddress() < 0) {
                return SmuReply.of(r.rejectedPrereq(), argument);
            }
            // Vega10's EnableSmuFeatures takes the mask; EnableAllSmuFeatures enables what is allowed
            enabledFeatures = dialect.allowedMaskLow() < 0 ? enabledFeatures | Integer.toUnsignedLong(argument) : allowedMask;
            return SmuReply.of(r.ok(), argument);
        }
        if (message == dialect.disableFeatures()) {
            enabledFeatures = 0;
            return SmuReply.of(r.ok(), argument);
        }
        if (message == dialect.prepareMp1ForUnload()) {
            preparedForUnload = true;
            return SmuReply.of(r.ok(), argument);
        }
        if (message == dialect.mode1Reset()) {
            boolean ras = argument == RAS_FATAL_MODE1 && dialect.rasMode1Version() != 0
                    && Integer.compareUnsigned(version, dialect.rasMode1Version()) >= 0;
            if (argument != 0 && !ras) {
                return SmuReply.of(r.failed(), argument);
            }
            return new SmuReply(r.ok(), argument, true);
        }
        return SmuReply.of(r.unknownCmd(), argument);
    }

    /** One message on the debug mailbox (MP1 13.0.0): test and mode1 only. */
    SmuReply executeDebug(int message, int argument) {
        SmuDialect.Results r = dialect.results();
        if (message == SmuDialect.DEBUG_TEST_MESSAGE) {
            return SmuReply.of(r.ok(), argument);
        }
        if (message == SmuDialect.DEBUG_MODE1_RESET) {
            return new SmuReply(r.ok(), argument, true);
        }
        return SmuReply.of(r.unknownCmd(), argument);
    }
}
