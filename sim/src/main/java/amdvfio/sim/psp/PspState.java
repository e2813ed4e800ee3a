package amdvfio.sim.psp;

import java.util.List;
import java.util.Set;

/**
 * What the simulated PSP has done, for tests (through {@code SimControl}); never for the driver.
 *
 * @param bootStepsDone bootloader components accepted so far, in order
 * @param loadedTypes   GFX_FW_TYPE ids loaded with LOAD_IP_FW
 * @param refusals      why each refused step was refused, oldest first
 * @param ihReroutes    Vega10's GBR_IH_SET commands, in order
 */
public record PspState(boolean cold, boolean ifwiReady, List<String> bootStepsDone, boolean sosAlive, boolean ringCreated,
                       long framesProcessed, boolean tocLoaded, boolean tmrSetUp, Set<Integer> loadedTypes,
                       boolean autoloadDone, boolean sdmaFirmwareRunning, List<String> refusals,
                       List<IhReroute> ihReroutes) {
}
