package amdvfio.sim.sdma;

import amdvfio.sim.gmc.GpuFaultException;

/** The dwords of the packet being decoded: {@code dword(0)} is its header. */
@FunctionalInterface
interface Fetch {
    int dword(long index) throws GpuFaultException;
}
