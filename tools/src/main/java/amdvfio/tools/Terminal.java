package amdvfio.tools;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether the CLI's stderr is a terminal, asked once by {@link Main#main} with isatty(3). A
 * progress bar is drawn only there: in a log file or a CI capture its carriage returns are noise.
 * (JDK 22+'s {@code System.console()} is not null for pipes and looks at stdin/stdout, not stderr.)
 */
final class Terminal {

    private static volatile boolean stderrIsTerminal;

    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        return stderrIsTerminal;
    }

    /** Called by {@link Main#main}; commands run by the tests through {@link Main#run} never draw a bar. */
    static void detect() {
        stderrIsTerminal = isatty(2);
    }

    static boolean isatty(int fd) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(fd) == 1;
        } catch (Throwable e) {
            return false; // cannot tell: no bar is the safe choice
        }
    }
}
