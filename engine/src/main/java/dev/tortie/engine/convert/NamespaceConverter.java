package dev.tortie.engine.convert;

import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.Namespace;
import dev.tortie.engine.model.ObjectSource;
import java.util.Map;

/** v1 Namespace to {@link Namespace}: name (a DNS-1123 label) and labels. */
public final class NamespaceConverter {
    private NamespaceConverter() {}

    public static Converted<Namespace> convert(Manifest manifest) {
        return convert(manifest.tree(), manifest.source());
    }

    public static Converted<Namespace> convert(Map<String, Object> tree, ObjectSource source) {
        ConversionContext ctx = new ConversionContext(source, "Namespace");
        ObjectMeta meta = ObjectMeta.read(ctx, tree, "Namespace", false, ObjectMeta.NameRule.LABEL);
        if (meta.name() == null) {
            return ctx.done(null);
        }
        String nameLabel = meta.labels().get(Namespace.NAME_LABEL);
        if (nameLabel != null && !nameLabel.equals(meta.name())) {
            ctx.warning(
                    "metadata.labels",
                    "label " + Namespace.NAME_LABEL + "=" + nameLabel + " does not match the name; the API server"
                            + " sets it to " + meta.name());
        }
        return ctx.done(new Namespace(meta.name(), meta.labels(), ctx.source()));
    }
}
