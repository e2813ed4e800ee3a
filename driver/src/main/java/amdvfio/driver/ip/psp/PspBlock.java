package amdvfio.driver.ip.psp;

import amdvfio.driver.boot.DetailedSteps;
import amdvfio.driver.boot.LoadedFirmware;
import amdvfio.driver.ip.IpBlock;
import java.util.List;

/**
 * The PSP block of a profile: amdgpu's {@code psp_hw_init} on a card the card-state step said to
 * boot (nothing on a card it reuses), between IH and SMU in the pipeline.
 */
public interface PspBlock extends IpBlock, DetailedSteps {

    /** Whether this boot handed the PMFW to the PSP (LOAD_IP_FW type SMU): the SMU answers from then on. */
    boolean pmfwLoaded();

    /** The images this boot loaded (the sOS and its bootloader components first); empty when nothing was booted. */
    List<LoadedFirmware> loadedFirmware();
}
