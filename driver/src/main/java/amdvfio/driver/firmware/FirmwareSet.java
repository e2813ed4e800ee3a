package amdvfio.driver.firmware;

import java.util.List;
import java.util.Optional;

/**
 * Everything a profile's cold boot hands to the PSP, read and checked up front: the sOS file's
 * bootloader components and the LOAD_IP_FW images in amdgpu's load order (ascending
 * {@code AMDGPU_UCODE_ID}, {@code psp_load_non_psp_fw}).
 */
public record FirmwareSet(FirmwareManifest manifest, SosFirmware sos, List<IpFirmware> images) {

    public FirmwareSet {
        images = List.copyOf(images);
    }

    public Optional<IpFirmware> image(Ucode ucode) {
        return images.stream().filter(i -> i.ucode() == ucode).findFirst();
    }

    /** The SMU image (always present: the manifest requires the SMU file). */
    public IpFirmware smu() {
        return image(Ucode.SMC).orElseThrow();
    }
}
