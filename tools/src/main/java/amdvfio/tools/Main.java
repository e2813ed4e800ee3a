package amdvfio.tools;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.FirmwareNotRunningException;
import amdvfio.driver.UnsupportedDeviceException;
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
        subcommands = {DemoCommand.class, ListCommand.class, InfoCommand.class, TestCommand.class, HotplugLoopCommand.class,
                BindCommand.class, UnbindCommand.class, WatchCommand.class, SoakCommand.class, CommandLine.HelpCommand.class},
        footer = {"", ExitCodes.HELP})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", description = "Print stack traces with errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: amdvfio demo, or amdvfio list)");
    }

    public static void main(String[] args) {
        Cancellation.install();
        int code;
        try {
            code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } finally {
            Cancellation.commandFinished();
        }
        if (!Cancellation.cancelled()) {
            System.exit(code); // on Ctrl-C the JVM is already exiting (status 130); exit() would block
        }
    }

    /** Runs the command line with the given streams; returns the exit code. Used by the tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // The driver logs its probe at INFO through System.Logger (JUL): keep the output for people
        // readable; --debug shows it.
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        java.util.logging.Level level = java.util.Arrays.asList(args).contains("--debug")
                ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING;
        root.setLevel(level);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(level);
        }
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(Main::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof Cancellation.Cancelled || ex instanceof InterruptedException || Cancellation.cancelled()) {
                // whatever the interrupted wait threw, the cause is Ctrl-C
                err.println("amdvfio: interrupted; the workload was stopped and the device released");
                err.flush();
                return ExitCodes.INTERRUPTED;
            }
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
        if (ex instanceof Cancellation.Cancelled || ex instanceof InterruptedException) {
            return ExitCodes.INTERRUPTED;
        }
        if (ex instanceof DeviceLostException) {
            return ExitCodes.DEVICE_LOST;
        }
        if (ex instanceof UnsupportedDeviceException || ex instanceof FirmwareNotRunningException) {
            return ExitCodes.DEVICE_NOT_READY;
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
