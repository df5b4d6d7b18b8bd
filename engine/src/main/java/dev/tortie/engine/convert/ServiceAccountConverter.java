package dev.tortie.engine.convert;

import dev.tortie.engine.load.Manifest;
import dev.tortie.engine.model.ObjectSource;
import dev.tortie.engine.model.ServiceAccount;
import java.util.Map;

/** v1 ServiceAccount to {@link ServiceAccount}: namespace (default "default"), name and labels. */
public final class ServiceAccountConverter {
    private ServiceAccountConverter() {}

    public static Converted<ServiceAccount> convert(Manifest manifest) {
        return convert(manifest.tree(), manifest.source());
    }

    public static Converted<ServiceAccount> convert(Map<String, Object> tree, ObjectSource source) {
        ConversionContext ctx = new ConversionContext(source, "ServiceAccount");
        ObjectMeta meta = ObjectMeta.read(ctx, tree, "ServiceAccount", true, ObjectMeta.NameRule.SUBDOMAIN);
        if (meta.name() == null) {
            return ctx.done(null);
        }
        return ctx.done(new ServiceAccount(meta.namespace(), meta.name(), meta.labels(), ctx.source()));
    }
}
