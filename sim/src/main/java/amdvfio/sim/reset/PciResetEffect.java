package amdvfio.sim.reset;

/**
 * What a PCI function or bus reset (VFIO_DEVICE_RESET, vfio-pci's reset on release, sysfs
 * {@code reset}) does to the card's firmware, per ASIC (spec amd-cold-boot.md §5.2, §7, §9.8).
 */
public enum PciResetEffect {
    /**
     * The card comes back cold: registers at reset values, no sOS, no PMFW. Navi31 and Navi21.
     * UNCERTAIN: no source says what FLR does on Navi31; for Navi21 user reports disagree
     * (vendor-reset issue 3 says the reset bug is gone on 6800/6900, tinygrad issue 15636 says
     * FLR is insufficient over Thunderbolt).
     */
    COLD,
    /**
     * The "AMD reset bug" (Vega10, Navi10; gnif/vendor-reset README): reset while firmware runs
     * and the PSP bootloader never becomes ready again, so nothing can boot the card until it is
     * power-cycled. A reset of a card that is already cold does no harm.
     */
    WEDGES_WHEN_WARM;

    public static PciResetEffect of(String asic) {
        return switch (asic) {
            case "Vega10", "Navi10" -> WEDGES_WHEN_WARM;
            default -> COLD;
        };
    }
}
