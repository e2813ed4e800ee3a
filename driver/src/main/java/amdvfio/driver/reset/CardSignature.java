package amdvfio.driver.reset;

/**
 * The registers read to classify the card, as found (for the report and for tests).
 *
 * @param sosSignOfLife    MP0 C2PMSG_81: non-zero while sys driver and sOS run
 * @param bootloaderReady  MP0 C2PMSG_35 bit 31
 * @param runMarker        SCRATCH_REG7: {@link RunMarker#MARKER} if this driver ran on the card
 * @param runState         SCRATCH_REG6: {@link RunMarker#RUNNING} or {@link RunMarker#CLEAN}
 */
public record CardSignature(int sosSignOfLife, boolean bootloaderReady, int runMarker, int runState) {

    public boolean sosAlive() {
        return sosSignOfLife != 0;
    }

    /** This driver's marker, and its last run ended with a clean shutdown. */
    public boolean cleanRunOfOurs() {
        return runMarker == RunMarker.MARKER && runState == RunMarker.CLEAN;
    }

    @Override
    public String toString() {
        return String.format("C2PMSG_81=0x%x bootloader %s SCRATCH_REG7=0x%x SCRATCH_REG6=0x%x", sosSignOfLife,
                bootloaderReady ? "ready" : "not ready", runMarker, runState);
    }
}
