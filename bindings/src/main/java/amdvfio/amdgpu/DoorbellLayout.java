package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.amdgpu_doorbell_h;

/**
 * Where amdgpu puts the SDMA and IH doorbells (64-bit doorbell indexes; the dword index is
 * twice that, the BAR2 byte offset four times the dword index). From the generated
 * {@code amdgpu_doorbell.h} enums, chosen as {@code soc15.c} ({@code AMDGPU_DOORBELL64_*}),
 * {@code nv.c} and {@code soc21.c} ({@code AMDGPU_NAVI10_DOORBELL_*}) choose them.
 */
public enum DoorbellLayout {
    SOC15(new int[] {amdgpu_doorbell_h.AMDGPU_DOORBELL64_sDMA_ENGINE0(), amdgpu_doorbell_h.AMDGPU_DOORBELL64_sDMA_ENGINE1()},
            amdgpu_doorbell_h.AMDGPU_DOORBELL64_IH()),
    NAVI10(new int[] {amdgpu_doorbell_h.AMDGPU_NAVI10_DOORBELL_sDMA_ENGINE0(), amdgpu_doorbell_h.AMDGPU_NAVI10_DOORBELL_sDMA_ENGINE1(),
            amdgpu_doorbell_h.AMDGPU_NAVI10_DOORBELL_sDMA_ENGINE2(), amdgpu_doorbell_h.AMDGPU_NAVI10_DOORBELL_sDMA_ENGINE3()},
            amdgpu_doorbell_h.AMDGPU_NAVI10_DOORBELL_IH());

    private final int[] sdma;
    private final int ih;

    DoorbellLayout(int[] sdma, int ih) {
        this.sdma = sdma;
        this.ih = ih;
    }

    /** The 64-bit doorbell index of SDMA {@code instance}. */
    public int sdma(int instance) {
        return sdma[instance];
    }

    /** The dword doorbell index of SDMA {@code instance} (what DOORBELL_OFFSET and NBIO routes take). */
    public int sdmaDword(int instance) {
        return sdma[instance] << 1;
    }

    public int sdmaCount() {
        return sdma.length;
    }

    /** The dword doorbell index of the IH ring 0 ({@code ih.doorbell_index = ih << 1}). */
    public int ihDword() {
        return ih << 1;
    }
}
