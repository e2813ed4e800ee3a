package amdvfio.driver.boot;

import java.util.List;

/** An IP block whose hw_init is several steps worth showing one by one in the boot timeline. */
public interface DetailedSteps {

    /** The steps of the last hw_init with their times, in order; empty if it had nothing to do. */
    List<BootStep> bootSteps();
}
