package amdvfio.driver.asic;

/**
 * IH differences between {@code vega10_ih}, {@code navi10_ih} and {@code ih_v6_0}.
 *
 * @param blockName      amdgpu's name ("vega10_ih")
 * @param useBusAddress  Vega10 gives the IH ring a bus (DMA) address, Navi a GPU MC address
 *                       ("use gpu virtual address for ih ring until ih_chicken is programmed", navi10_ih.c)
 * @param mcSpaceBus     RB_CNTL.MC_SPACE for bus addresses (1, ih_v6_0: 2); 4 means MC address
 * @param gpuTimestamp   RB_GPU_TS_ENABLE exists (4.0/5.0 only)
 * @param doorbellRangeSize BIF_IH_DOORBELL_RANGE.SIZE (nbio 6.1: 6, nbio 2.3: 2)
 */
public record IhTraits(String blockName, boolean useBusAddress, int mcSpaceBus, boolean gpuTimestamp,
                       int doorbellRangeSize) {
}
