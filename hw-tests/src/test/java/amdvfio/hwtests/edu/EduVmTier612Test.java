package amdvfio.hwtests.edu;

import org.junit.jupiter.api.Tag;

/** The seven edu scenarios on bookworm-backports' 6.12 (the IOMMU reports two IOVA ranges there). */
@Tag("vm")
class EduVmTier612Test extends EduVmTierTest {
    @Override
    String kernel() {
        return "6.12";
    }
}
