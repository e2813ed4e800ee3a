package amdvfio.hwtests.group;

import org.junit.jupiter.api.Tag;

/** {@link GroupVmTier} on Debian bookworm's 6.1. */
@Tag("vm")
class GroupVmTier61Test extends GroupVmTier {
    @Override
    String kernel() {
        return "6.1";
    }
}
