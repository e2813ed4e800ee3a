package amdvfio.tools;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.FirmwareNotRunningException;
import amdvfio.driver.UnsupportedDeviceException;
import amdvfio.vfio.InvalidPciAddressException;
import amdvfio.vfio.VfioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileDescriptor;
import java.io.PrintWriter;
import java.util.Arrays;

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
        boolean json = Arrays.asList(args).contains("--json");
        FallbackWriter.Mode mode = json ? FallbackWriter.Mode.JSON : FallbackWriter.Mode.TEXT;
        PrintWriter out = FallbackWriter.forStream(FileDescriptor.out, mode);
        PrintWriter err = FallbackWriter.forStream(FileDescriptor.err, mode);
        Cancellation.announceWith(message -> ErrorOutput.print(err, json, message, ExitCodes.INTERRUPTED));
        Cancellation.install();
        Terminal.detect();
        int code;
        try {
            code = run(args, out, err);
        } finally {
            Cancellation.commandFinished();
        }
        if (!Cancellation.cancelled()) {
            System.exit(code); // on Ctrl-C the JVM is already exiting (status 130); exit() would block
        }
    }

    /** Runs the command line with the given streams; returns the exit code. Used by the tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        quietDriverLogs(Arrays.asList(args).contains("--debug"));
        boolean json = Arrays.asList(args).contains("--json");
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version()); // -V on every command, not only the top
        }
        cli.setExitCodeExceptionMapper(Main::exitCodeOf);
        cli.setParameterExceptionHandler((ex, ignored) -> usageError(ex, err, json));
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof Cancellation.Cancelled || ex instanceof InterruptedException || Cancellation.cancelled()) {
                Cancellation.announceInterrupted(); // whatever the interrupted wait threw, the cause is Ctrl-C
                return ExitCodes.INTERRUPTED;
            }
            int code = exitCodeOf(ex);
            ErrorOutput.print(err, json, messageOf(ex), code);
            if (main.debug) {
                ex.printStackTrace(err);
            } else if (!json) {
                err.println("(run with --debug for details)");
            }
            err.flush();
            return code;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A bad option or value: what was wrong and where to look, not the whole help. */
    private static int usageError(CommandLine.ParameterException ex, PrintWriter err, boolean json) {
        String command = ex.getCommandLine().getCommandSpec().qualifiedName();
        if (json) {
            ErrorOutput.print(err, true, ex.getMessage(), ExitCodes.USAGE);
            return ExitCodes.USAGE;
        }
        err.println(command + ": " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Try '" + command + " --help' for the options.");
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The driver logs its probe at INFO through System.Logger (JUL): keep the output for people readable; --debug shows it. */
    private static void quietDriverLogs(boolean debug) {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        java.util.logging.Level level = debug ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING;
        root.setLevel(level);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(level);
        }
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
