package dev.tortie.shell.doc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Renders man pages (roff, section 1) from picocli command specs: tortie(1) for the program and its global options,
 * and tortie-COMMAND(1) for each command (subcommands included). Deterministic: no dates from the clock.
 */
public final class ManPages {
    static final String DATE = "2026-11";
    static final String SOURCE = "tortie 0.1.0";

    private ManPages() {}

    /** File name -> page text, for the program spec (global options) and the command grammar. */
    public static Map<String, String> render(CommandSpec program, CommandSpec grammar, List<String> examples) {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("tortie.1", programPage(program, grammar, examples));
        for (Map.Entry<String, CommandLine> e : grammar.subcommands().entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            if (!e.getKey().equals(spec.name()) || spec.name().equals("help")) {
                continue; // aliases and the help command get no page of their own
            }
            pages.put("tortie-" + spec.name() + ".1", commandPage(spec));
        }
        return pages;
    }

    private static String programPage(CommandSpec program, CommandSpec grammar, List<String> examples) {
        StringBuilder sb =
                header("TORTIE", "tortie", first(program.usageMessage().description()));
        sb.append(".SH SYNOPSIS\n.B tortie\n[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR [\\fIARGS\\fR]]\n.br\n.B tortie\n")
                .append("[\\fIOPTIONS\\fR] \\fB-c\\fR \\fI\"COMMAND; COMMAND ...\"\\fR\n.br\n.B tortie\n")
                .append("[\\fIOPTIONS\\fR] \\fB-f\\fR \\fIRUNBOOK\\fR\n");
        sb.append(".SH DESCRIPTION\n");
        for (String line : program.usageMessage().description()) {
            paragraph(sb, line);
        }
        paragraph(sb, "The same commands work in the interactive shell, with -c and in runbooks.");
        sb.append(".SH OPTIONS\n");
        options(sb, program);
        sb.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> e : grammar.subcommands().entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            if (!e.getKey().equals(spec.name())) {
                continue;
            }
            sb.append(".TP\n\\fB").append(escape(spec.name())).append("\\fR\n");
            sb.append(escape(first(spec.usageMessage().description()))).append('\n');
            if (!spec.name().equals("help")) {
                sb.append("See \\fBtortie-").append(escape(spec.name())).append("\\fR(1).\n");
            }
        }
        sb.append(".SH EXIT STATUS\n");
        for (String line : program.usageMessage().footer()) {
            if (!line.isBlank()) {
                paragraph(sb, line);
            }
        }
        if (!examples.isEmpty()) {
            sb.append(".SH EXAMPLES\n");
            for (String example : examples) {
                sb.append(".PP\n.nf\n").append(escape(example)).append("\n.fi\n");
            }
        }
        sb.append(".SH SEE ALSO\n");
        List<String> refs = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : grammar.subcommands().entrySet()) {
            String name = e.getValue().getCommandSpec().name();
            if (e.getKey().equals(name) && !name.equals("help")) {
                refs.add("\\fBtortie-" + escape(name) + "\\fR(1)");
            }
        }
        sb.append(String.join(",\n", refs)).append('\n');
        return sb.toString();
    }

    private static String commandPage(CommandSpec spec) {
        String name = "tortie-" + spec.name();
        StringBuilder sb = header(
                name.toUpperCase(Locale.ROOT), name, first(spec.usageMessage().description()));
        sb.append(".SH SYNOPSIS\n");
        sb.append(".B tortie ").append(escape(spec.name())).append('\n');
        String synopsis = new CommandLine.Help(
                        spec, new CommandLine.Help.ColorScheme.Builder(CommandLine.Help.Ansi.OFF).build())
                .synopsis(0)
                .trim();
        String qualified = spec.qualifiedName();
        String rest = synopsis.startsWith(qualified) ? synopsis.substring(qualified.length()) : synopsis;
        rest = rest.replace("\n", " ").replaceAll("\\s+", " ").trim();
        sb.append(escape(rest)).append('\n');
        if (!spec.aliases().equals(new String[0]) && spec.aliases().length > 0) {
            sb.append(".PP\nAliases: ")
                    .append(escape(String.join(", ", spec.aliases())))
                    .append(".\n");
        }
        sb.append(".SH DESCRIPTION\n");
        for (String line : spec.usageMessage().description()) {
            paragraph(sb, line);
        }
        if (!spec.positionalParameters().isEmpty()) {
            sb.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                sb.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n");
                sb.append(escape(String.join(" ", p.description()))).append('\n');
            }
        }
        sb.append(".SH OPTIONS\n");
        options(sb, spec);
        if (!spec.subcommands().isEmpty()) {
            sb.append(".SH SUBCOMMANDS\n");
            for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
                CommandSpec sub = e.getValue().getCommandSpec();
                sb.append(".TP\n\\fB")
                        .append(escape(spec.name() + " " + sub.name()))
                        .append("\\fR\n");
                for (String line : sub.usageMessage().description()) {
                    sb.append(escape(line)).append('\n');
                }
                for (OptionSpec o : sub.options()) {
                    if (!o.usageHelp() && !o.versionHelp()) {
                        sb.append(".br\n\\fB")
                                .append(escape(String.join(", ", o.names())))
                                .append("\\fR");
                        if (o.arity().max() > 0) {
                            sb.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
                        }
                        sb.append("  ")
                                .append(escape(String.join(" ", o.description())))
                                .append('\n');
                    }
                }
            }
        }
        sb.append(".SH SEE ALSO\n\\fBtortie\\fR(1)\n");
        return sb.toString();
    }

    private static StringBuilder header(String title, String name, String summary) {
        StringBuilder sb = new StringBuilder();
        sb.append(".\\\" Generated from the command definitions by dev.tortie.shell.doc.ManPages; do not edit.\n");
        sb.append(".TH ")
                .append(escape(title))
                .append(" 1 \"")
                .append(DATE)
                .append("\" \"")
                .append(SOURCE)
                .append("\" \"tortie manual\"\n");
        String shown = name.equals("tortie") ? summary : lowerFirst(summary);
        sb.append(".SH NAME\n")
                .append(escape(name))
                .append(" \\- ")
                .append(escape(shown))
                .append('\n');
        return sb;
    }

    private static void options(StringBuilder sb, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            sb.append(".TP\n\\fB").append(escape(String.join(", ", o.names()))).append("\\fR");
            if (o.arity().max() > 0) {
                sb.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
            }
            sb.append('\n').append(escape(String.join(" ", o.description()))).append('\n');
        }
    }

    private static void paragraph(StringBuilder sb, String line) {
        if (line.isBlank()) {
            sb.append(".PP\n");
        } else {
            sb.append(escape(line)).append('\n');
        }
    }

    private static String first(String[] lines) {
        return lines.length == 0 ? "" : lines[0].replaceAll("\\.$", "");
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    /** roff escaping: backslashes, leading dots/quotes, and hyphens that are minus signs in options. */
    static String escape(String s) {
        String out = s.replace("\\", "\\e").replace("-", "\\-");
        if (out.startsWith(".") || out.startsWith("'")) {
            out = "\\&" + out;
        }
        return out;
    }
}
