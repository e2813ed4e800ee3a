package amdvfio.hwtests.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import amdvfio.hwtests.qemu.guest.VfioSmokeProbe;

/**
 * Measures guest JVM flag sets on the smoke probe, all in one boot (interleaved, 4 rounds).
 * Not part of the normal run: {@code ./run-tests -pl hw-tests -am -Dtest=GuestJvmFlagsBenchmark -Damdvfio.vm.bench=true}.
 * The result chose {@link QemuGuest#DEFAULT_JVM_ARGS}; numbers are in hw-tests/README.md.
 */
@Tag("vm")
class GuestJvmFlagsBenchmark {

    static final Map<String, String> CONFIGS = new LinkedHashMap<>();
    static {
        CONFIGS.put("jdk-defaults", "");
        
        CONFIGS.put("c1+serial+noperf", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData");
        
        CONFIGS.put("interpreter-only", "-Xint -XX:+UseSerialGC -XX:-UsePerfData");
        // JDK 25 AOT cache (JEP 483/514), trained once in the same boot on the same program
        CONFIGS.put("c1+serial+noperf+aot", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -XX:AOTCache=/tmp/app.aot");
        CONFIGS.put("jdk-defaults+aot", "-XX:AOTCache=/tmp/app.aot");
    }

    @Test
    void compareFlagSets() throws Exception {
        QemuGuest.assumeQemuInstalled();
        Assumptions.assumeTrue(Boolean.getBoolean("amdvfio.vm.bench"), "benchmark: run with -Damdvfio.vm.bench=true");
        StringBuilder script = new StringBuilder();
        script.append("read -r s _ < /proc/uptime; /jdk/bin/java -XX:AOTCacheOutput=/tmp/app.aot --enable-native-access=ALL-UNNAMED -cp \"$AMDVFIO_CP\" ")
                .append(VfioSmokeProbe.class.getName()).append(" > /tmp/out 2>&1 || cat /tmp/out; read -r e _ < /proc/uptime; echo \"AOT training+dump $s $e\"; ls -la /tmp/app.aot\n");
        script.append("for round in 1 2 3 4; do\n");
        CONFIGS.forEach((name, flags) -> script.append("  read -r s _ < /proc/uptime; /jdk/bin/java ").append(flags)
                .append(" --enable-native-access=ALL-UNNAMED -cp \"$AMDVFIO_CP\" ").append(VfioSmokeProbe.class.getName())
                .append(" > /tmp/out 2>&1; rc=$?; read -r e _ < /proc/uptime; echo \"BENCH ").append(name).append(" $s $e $rc\"\n")
                .append("  [ $rc = 0 ] || cat /tmp/out\n"));
        script.append("done\n");
        GuestResult r = QemuGuest.builder("GuestJvmFlagsBenchmark").eduDevice().script(script.toString())
                .timeout(Duration.ofMinutes(10)).run();
        r.assertSucceeded();
        Map<String, List<Long>> ms = new LinkedHashMap<>();
        for (String l : r.linesStartingWith("BENCH ")) {
            String[] f = l.split(" ");
            assertEquals("0", f[3], l);
            ms.computeIfAbsent(f[0], k -> new ArrayList<>())
                    .add(Math.round((Double.parseDouble(f[2]) - Double.parseDouble(f[1])) * 1000));
        }
        System.out.println("Guest JVM flag sets, VfioSmokeProbe wall time in the guest (ms, 4 runs, pinned to vCPU 0):");
        ms.forEach((k, v) -> System.out.printf("  %-26s %s  median %d%n", k, v, v.stream().sorted().toList().get(v.size() / 2)));
    }
}
