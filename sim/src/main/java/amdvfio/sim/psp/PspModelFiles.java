package amdvfio.sim.psp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The linux-firmware files each profile's PSP model checks payloads against (spec
 * amd-cold-boot.md §3.2): the sOS file, the SMU image and the SDMA images, by amdgpu's names.
 * One list for both the model ({@link PspExpectations}) and the choice of a cold or warm default.
 */
public enum PspModelFiles {
    NAVI31("psp_13_0_0_sos.bin", "smu_13_0_0.bin", "sdma_6_0_0.bin"),
    NAVI21("sienna_cichlid_sos.bin", "sienna_cichlid_smc.bin", "sienna_cichlid_sdma.bin"),
    NAVI10("navi10_sos.bin", "navi10_smc.bin", "navi10_sdma.bin", "navi10_sdma1.bin"),
    VEGA10("vega10_sos.bin", "vega10_smc.bin", "vega10_sdma.bin", "vega10_sdma1.bin");

    final String sos;
    final String smu;
    final List<String> sdma;

    PspModelFiles(String sos, String smu, String... sdma) {
        this.sos = sos;
        this.smu = smu;
        this.sdma = List.of(sdma);
    }

    /** The files of a profile ("Navi31", "Vega10": {@code SimProfile.name()}). */
    public static PspModelFiles of(String asic) {
        try {
            return valueOf(asic.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no PSP model for " + asic + " (Navi31, Navi21, Navi10 and Vega10 have one)", e);
        }
    }

    /** True when every file is in {@code dir}. */
    public boolean installedIn(Path dir) {
        List<String> all = new ArrayList<>(List.of(sos, smu));
        all.addAll(sdma);
        return all.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }
}
