package amdvfio.driver.ip.smu;

/**
 * What the SMU block found and did, for {@code info} and the demo.
 *
 * @param running       a PMFW answered
 * @param pmfwVersion   GetSmuVersion's answer (0 when not running)
 * @param driverTable   MC address of the driver table the PMFW was given, or -1
 * @param featuresOn    EnableAllSmuFeatures succeeded
 * @param note          why something was not done, or null
 */
public record SmuReport(boolean running, int pmfwVersion, long driverTable, boolean featuresOn, String note) {

    public static SmuReport notRunning(String why) {
        return new SmuReport(false, 0, -1, false, why);
    }

    /** "78.128.0" for 0x004E8000, as amdgpu prints PMFW versions. */
    public String version() {
        return running ? ((pmfwVersion >>> 16) & 0xFF) + "." + ((pmfwVersion >>> 8) & 0xFF) + "." + (pmfwVersion & 0xFF) : "-";
    }
}
