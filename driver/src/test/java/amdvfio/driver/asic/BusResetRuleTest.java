package amdvfio.driver.asic;

import amdvfio.vfio.PciDevice;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver tells the device which ASICs must never get a secondary bus reset (the cold-boot issue). */
class BusResetRuleTest {

    /** A device that only records forbidBusReset; any other call is a test error. */
    static PciDevice recording(List<String> reasons) {
        return (PciDevice) Proxy.newProxyInstance(PciDevice.class.getClassLoader(), new Class<?>[] {PciDevice.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("forbidBusReset")) {
                        reasons.add((String) args[0]);
                        return null;
                    }
                    throw new AssertionError("unexpected call " + method.getName());
                });
    }

    @Test
    void shouldForbidABusResetOnVega10AndNavi10Only() {
        for (AsicProfile p : List.of(AsicProfiles.VEGA10, AsicProfiles.NAVI10, AsicProfiles.NAVI21, AsicProfiles.NAVI31)) {
            List<String> reasons = new ArrayList<>();
            Probe.forbidUnsafeBusReset(p, recording(reasons));
            boolean unsafe = p == AsicProfiles.VEGA10 || p == AsicProfiles.NAVI10;
            assertEquals(unsafe ? 1 : 0, reasons.size(), p.name());
            if (unsafe) {
                assertTrue(reasons.get(0).contains(p.name()) && reasons.get(0).contains("cold boot"), reasons.get(0));
            }
        }
    }
}
