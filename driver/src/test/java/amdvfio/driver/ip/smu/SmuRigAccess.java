package amdvfio.driver.ip.smu;

import amdvfio.driver.asic.AsicProfile;
import amdvfio.sim.SimProfile;

/** The simulator profile → driver profile pairing, for tests in other packages. */
public final class SmuRigAccess {

    private SmuRigAccess() {
    }

    public static AsicProfile asic(SimProfile p) {
        return SmuRig.asic(p);
    }
}
