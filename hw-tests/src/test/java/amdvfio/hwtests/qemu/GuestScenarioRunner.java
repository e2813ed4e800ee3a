package amdvfio.hwtests.qemu;

import java.util.ArrayList;
import java.util.List;

/**
 * Guest-side main class: runs the {@link GuestScenario} classes named in its arguments, in order,
 * in one JVM, printing for each
 * <pre>
 * AMDVFIO-SCENARIO-BEGIN &lt;name&gt;
 * AMDVFIO-SCENARIO-END &lt;name&gt; PASS|FAIL &lt;ms&gt; ms
 * </pre>
 * and exits with the number of failed scenarios (0 = all passed). The host side reads these with
 * {@link GuestResult#scenarios()}. Scenarios after a failed one still run unless
 * {@code --fail-fast} comes first.
 */
public final class GuestScenarioRunner {

    private GuestScenarioRunner() {}

    public static void main(String[] args) {
        boolean failFast = false;
        List<String> classes = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--fail-fast")) failFast = true;
            else classes.add(a);
        }
        int failed = 0;
        for (String cls : classes) {
            String name = cls.substring(cls.lastIndexOf('.') + 1);
            long t0 = System.nanoTime();
            boolean ok;
            boolean begun = false;
            try {
                GuestScenario s = (GuestScenario) Class.forName(cls).getDeclaredConstructor().newInstance();
                name = s.name();
                System.out.println("AMDVFIO-SCENARIO-BEGIN " + name);
                begun = true;
                s.run();
                ok = true;
            } catch (Throwable t) {
                if (!begun) System.out.println("AMDVFIO-SCENARIO-BEGIN " + name);
                System.out.println("AMDVFIO-SCENARIO-ERROR " + name + ": " + t);
                t.printStackTrace(System.out);
                ok = false;
            }
            System.out.flush();
            System.out.printf("AMDVFIO-SCENARIO-END %s %s %d ms%n", name, ok ? "PASS" : "FAIL", (System.nanoTime() - t0) / 1_000_000);
            if (!ok) {
                failed++;
                if (failFast) break;
            }
        }
        System.out.flush();
        System.exit(Math.min(failed, 100));
    }
}
