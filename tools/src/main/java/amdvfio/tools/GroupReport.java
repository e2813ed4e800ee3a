package amdvfio.tools;

import amdvfio.vfio.sysfs.BindPolicy;
import amdvfio.vfio.sysfs.GroupBinder;
import amdvfio.vfio.sysfs.PciClassNames;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How bind, unbind and watch show a group move: the plan before anything changes, refusals, and the JSON twin. */
final class GroupReport {

    private GroupReport() {
    }

    /** One line per member: address, class, driver → driver, why. */
    static void printPlan(PrintWriter out, String title, List<GroupBinder.Change> plan) {
        out.println(title);
        for (GroupBinder.Change c : plan) {
            out.printf("  %-12s  %-22s  %-14s → %-16s %s%n", c.address(), PciClassNames.className(c.function().classCode()),
                    name(c.from()), c.moves() ? name(c.to()) : "(unchanged)", c.note());
        }
        out.flush();
    }

    static List<Map<String, Object>> json(List<GroupBinder.Change> changes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupBinder.Change c : changes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", c.address().toString());
            m.put("className", PciClassNames.className(c.function().classCode()));
            m.put("ids", c.function().ids());
            m.put("from", c.from());
            m.put("to", c.to());
            m.put("changes", c.moves());
            m.put("note", c.note());
            out.add(m);
        }
        return out;
    }

    /** The refusals as one failure: each reason on its own line, saying what to do. */
    static CommandFailure refused(String verb, List<BindPolicy.Refusal> refusals) {
        return new CommandFailure(ExitCodes.DEVICE_NOT_READY, "refusing to " + verb + ":\n" + refusals.stream()
                .map(r -> "  " + r.message()).collect(Collectors.joining("\n")));
    }

    private static String name(String driver) {
        return driver == null ? "no driver" : driver;
    }
}
