package amdvfio.driver.asic;

import amdvfio.driver.reg.Reg;

/**
 * Doorbell routing in the BIF: the aperture enable and the SDMA/IH ranges
 * ({@code nbio_v6_1.c}, {@code nbio_v2_3.c}: {@code *_sdma_doorbell_range}, {@code *_ih_doorbell_range},
 * {@code *_enable_doorbell_aperture}). Offsets from the nbio offset headers, segment 2:
 * {@code RCC_*_RCC_DOORBELL_APER_EN 0xc0}, {@code BIF_SDMA0/1_DOORBELL_RANGE 0x1d0/0x1d1},
 * {@code BIF_IH_DOORBELL_RANGE 0x1d2} (next to {@code RCC_CONFIG_MEMSIZE 0xc3} = dword 0xDE3).
 *
 * @param sdmaRanges     per SDMA instance; shorter than the instance count when the remaining
 *                       ranges are unknown to this driver (their doorbells then rely on reset defaults)
 * @param sdmaRangeSize  SIZE field: 4 on nbio 6.1, 20 on nbio 2.3
 */
public record NbioTraits(String blockName, Reg doorbellAperEn, Reg[] sdmaRanges, Reg ihRange, int sdmaRangeSize) {

    public NbioTraits {
        sdmaRanges = sdmaRanges.clone();
    }
}
