package amdvfio.driver.boot;

/**
 * One firmware image the boot handed to the card.
 *
 * @param ucode   amdgpu's ucode id name ("SDMA0", "SMC", "RLC_G"), or the bootloader component ("SOS")
 * @param file    the linux-firmware file it came from ("sdma_6_0_0.bin")
 * @param version the version its header carries ({@code ucode_version}, or the sOS's fw_version)
 */
public record LoadedFirmware(String ucode, String file, long version) {
}
