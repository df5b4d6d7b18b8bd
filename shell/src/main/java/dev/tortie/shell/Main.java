package dev.tortie.shell;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Process entry point: the only place that touches System.out/err and System.exit. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), false);
        boolean tty = System.console() != null;
        int code = Tortie.run(args, out, err, System.getenv(), tty);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
