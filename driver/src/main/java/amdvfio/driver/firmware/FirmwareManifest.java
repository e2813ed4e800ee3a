package amdvfio.driver.firmware;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which files a profile's cold boot reads and which IP versions their headers must carry
 * (spec amd-cold-boot.md §3.2 "needed for the SDMA path", §7). Only what SDMA + IH need is
 * listed: amdgpu also loads CP PFP/ME, MES, the TAs, DMCUB and VCN, which nothing on the SDMA
 * path uses (§1.3). Navi21 loads one SDMA image for all four engines ("all four sdma fw are
 * same", {@code psp_load_non_psp_fw}).
 */
public enum FirmwareManifest {
    NAVI31("navi31", "psp_13_0_0_sos.bin", 13, "smu_13_0_0.bin", 13, 6,
            new String[] {"sdma_6_0_0.bin"}, 11, "gc_11_0_0_rlc.bin", "gc_11_0_0_imu.bin", "gc_11_0_0_mec.bin"),
    NAVI21("sienna_cichlid", "sienna_cichlid_sos.bin", 11, "sienna_cichlid_smc.bin", 11, 5,
            new String[] {"sienna_cichlid_sdma.bin"}, 10, "sienna_cichlid_rlc.bin", null, null),
    NAVI10("navi10", "navi10_sos.bin", 11, "navi10_smc.bin", 11, 5,
            new String[] {"navi10_sdma.bin", "navi10_sdma1.bin"}, 10, "navi10_rlc.bin", null, null),
    /** PSP 3.1: no autoload and SDMA v4 sits behind the MMHUB, so no GC firmware is needed. */
    VEGA10("vega10", "vega10_sos.bin", 3, "vega10_smc.bin", 9, 4,
            new String[] {"vega10_sdma.bin", "vega10_sdma1.bin"}, 0, null, null, null);

    private static final Ucode[] SDMA_V1_IDS = {Ucode.SDMA0, Ucode.SDMA1};

    private final String chip;
    private final String sos;
    private final int pspMajor;
    private final String smu;
    private final int smuMajor;
    private final int sdmaMajor;
    private final String[] sdma;
    private final int gcMajor;
    private final String rlc;
    private final String imu;
    private final String mec;

    FirmwareManifest(String chip, String sos, int pspMajor, String smu, int smuMajor, int sdmaMajor, String[] sdma,
                     int gcMajor, String rlc, String imu, String mec) {
        this.chip = chip;
        this.sos = sos;
        this.pspMajor = pspMajor;
        this.smu = smu;
        this.smuMajor = smuMajor;
        this.sdmaMajor = sdmaMajor;
        this.sdma = sdma;
        this.gcMajor = gcMajor;
        this.rlc = rlc;
        this.imu = imu;
        this.mec = mec;
    }

    /** The manifest for amdgpu's chip name ({@code AsicProfile.name()}), if the cold boot supports it. */
    public static Optional<FirmwareManifest> forChip(String chip) {
        for (FirmwareManifest m : values()) {
            if (m.chip.equals(chip.toLowerCase(Locale.ROOT))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public String chip() {
        return chip;
    }

    /** Every file this profile reads, the sOS file first. */
    public List<String> files() {
        List<String> out = new ArrayList<>(List.of(sos, smu));
        out.addAll(List.of(sdma));
        for (String f : new String[] {rlc, imu, mec}) {
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Reads and checks every file before anything touches the card; the first missing or bad
     * file ends it with an error naming that file.
     */
    public FirmwareSet load(FirmwareDirectory dir) {
        SosFirmware sosFw = SosFirmware.parse(dir.read(sos), pspMajor);
        List<IpFirmware> images = new ArrayList<>();
        images.add(SdmaSmuImages.smc(dir.read(smu), smuMajor));
        for (int i = 0; i < sdma.length; i++) {
            images.addAll(SdmaSmuImages.sdma(dir.read(sdma[i]), sdmaMajor, SDMA_V1_IDS[i]));
        }
        if (rlc != null) {
            images.addAll(GfxImages.rlc(dir.read(rlc), gcMajor));
        }
        if (imu != null) {
            images.addAll(GfxImages.imu(dir.read(imu), gcMajor));
        }
        if (mec != null) {
            images.addAll(GfxImages.rs64Mec(dir.read(mec), gcMajor));
        }
        images.sort(Comparator.comparingInt(img -> img.ucode().ucodeId()));
        return new FirmwareSet(this, sosFw, images);
    }
}
