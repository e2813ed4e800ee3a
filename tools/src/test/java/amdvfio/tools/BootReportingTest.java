package amdvfio.tools;

import amdvfio.driver.firmware.FirmwareDirectory;
import amdvfio.driver.firmware.FirmwareManifest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What users see of the bring-up: the demo, {@code info --boot} and the re-plug loop say whether
 * the card was cold, warm or reset, each boot step with its time and the firmware loaded — and on
 * the simulator, with linux-firmware installed, every re-plug comes back cold and is booted.
 */
class BootReportingTest {

    /** The simulator starts a card cold only where the real files are there to check the boot against. */
    private static boolean firmwareInstalled(FirmwareManifest m) {
        FirmwareDirectory dir = FirmwareDirectory.resolve(Optional.empty());
        return m.files().stream().allMatch(dir::has);
    }

    @Test
    void demoShowsTheColdBootBeforeAndAfterTheReplug() throws Exception {
        JsonNode doc = CommandsTest.json(CommandsTest.run("demo", "--sim", "navi31", "--json"));
        assertTrue(doc.get("ok").asBoolean(), doc.toString());
        for (String key : List.of("boot", "bootAfterReplug")) {
            JsonNode boot = doc.get(key);
            assertTrue(boot.get("steps").size() > 0, key + ": " + boot);
            assertTrue(boot.get("msTotal").asDouble() > 0, key + ": " + boot);
            if (firmwareInstalled(FirmwareManifest.NAVI31)) {
                assertEquals("COLD", boot.get("found").asText(), key + ": " + boot);
                assertEquals("BOOT", boot.get("action").asText(), key + ": " + boot);
                assertTrue(boot.get("firmware").toString().contains("SOS"), key + ": " + boot);
                assertTrue(boot.get("steps").toString().contains("LOAD_IP_FW"), key + ": " + boot);
            }
        }
        CommandsTest.Result human = CommandsTest.run("demo", "--sim", "navi31");
        assertTrue(human.out().contains("card: "), human.out());
    }

    /** A fresh machine without linux-firmware: the simulated card starts warm, the demo works and says how to see the boot. */
    @Test
    void withoutFirmwareFilesTheDemoRunsOnAWarmCardAndSaysHowToSeeTheColdBoot(@TempDir Path empty) throws Exception {
        CommandsTest.Result r = CommandsTest.run("demo", "--sim", "navi10", "--firmware-dir", empty.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("reused") && r.out().contains("--firmware-dir to see the cold boot"), r.out());
        JsonNode doc = CommandsTest.json(CommandsTest.run("demo", "--sim", "vega10", "--firmware-dir", empty.toString(), "--json"));
        assertEquals("REUSE", doc.get("boot").get("action").asText(), doc.get("boot").toString());
        assertEquals(0, doc.get("boot").get("firmware").size(), "nothing loaded into a reused card");
    }

    @Test
    void infoBootBringsTheCardUpAndSaysWhatItLoaded() throws Exception {
        CommandsTest.Result human = CommandsTest.run("info", "--sim", "navi31", "--boot");
        assertEquals(0, human.code(), human.err());
        assertTrue(human.out().contains("card ") && human.out().contains("hw_init"), human.out());
        JsonNode doc = CommandsTest.json(CommandsTest.run("info", "--sim", "navi31", "--boot", "--json"));
        assertTrue(doc.get("boot").get("steps").size() > 0, doc.toString());
        JsonNode plain = CommandsTest.json(CommandsTest.run("info", "--sim", "navi31", "--json"));
        assertTrue(plain.get("boot") == null, "without --boot info brings nothing up: " + plain);
    }

    @Test
    void hotplugLoopReportsHowTheCardCameBackOnEveryCycle() throws Exception {
        int n = 4;
        List<JsonNode> lines = CommandsTest.jsonLines(CommandsTest.run("hotplug-loop", "--sim", "navi31", "--iterations",
                String.valueOf(n), "--json", "--no-progress"));
        boolean cold = firmwareInstalled(FirmwareManifest.NAVI31);
        for (int i = 0; i < n; i++) {
            JsonNode it = lines.get(i);
            assertTrue(it.get("msBoot").asDouble() > 0, it.toString());
            if (cold) {
                assertEquals("BOOT", it.get("boot").asText(), "every re-plug comes back cold and is booted: " + it);
            }
        }
        JsonNode summary = lines.get(n);
        long counted = 0;
        for (JsonNode v : summary.get("boots")) {
            counted += v.asLong();
        }
        assertEquals(n, counted, summary.toString());
        assertEquals(n, summary.get("latencyMs").get("boot").get("count").asInt(), summary.toString());
        if (cold) {
            assertEquals(n, summary.get("boots").get("boot").asLong(), summary.toString());
        }
    }
}
