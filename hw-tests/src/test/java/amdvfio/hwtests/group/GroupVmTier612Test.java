package amdvfio.hwtests.group;

import org.junit.jupiter.api.Tag;

/** {@link GroupVmTier} on bookworm-backports' 6.12 (two IOVA ranges, vfio_virqfd merged into vfio, .ko.xz modules). */
@Tag("vm")
class GroupVmTier612Test extends GroupVmTier {
    @Override
    String kernel() {
        return "6.12";
    }
}
