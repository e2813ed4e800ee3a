package amdvfio.tools;

import amdvfio.vfio.InvalidPciAddressException;
import amdvfio.vfio.VfioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * The {@code amdvfio} command line. Each subcommand is a small class; this one only wires them
 * up and turns exceptions into the documented exit codes and one- or two-line messages
 * (a stack trace only with {@code --debug}).
 */
@Command(name = "amdvfio",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A userspace AMD GPU driver over Linux VFIO that survives hot-unplug.%n"
                + "Runs on a real GPU bound to vfio-pci, or on the embedded simulated GPU.",
        subcommands = {ListCommand.class, CommandLine.HelpCommand.class},
        footer = {"", ExitCodes.HELP})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", description = "Print stack traces with errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: amdvfio list)");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. Used by the tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(Main::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("amdvfio: " + messageOf(ex));
            if (main.debug) {
                ex.printStackTrace(err);
            } else {
                err.println("(run with --debug for details)");
            }
            err.flush();
            return exitCodeOf(ex);
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof CommandLine.ParameterException || ex instanceof InvalidPciAddressException) {
            return ExitCodes.USAGE;
        }
        if (ex instanceof VfioException) {
            return ExitCodes.DEVICE_NOT_READY;
        }
        if (ex instanceof CommandFailure f) {
            return f.exitCode();
        }
        return ExitCodes.FAILURE;
    }

    private static String messageOf(Throwable ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }

    /** Prints the version of the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"amdvfio " + (v == null ? "(development build)" : v)
                    + " on Java " + Runtime.version()};
        }
    }
}
