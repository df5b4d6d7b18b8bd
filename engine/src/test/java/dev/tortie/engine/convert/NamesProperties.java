package dev.tortie.engine.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Names} matches by hand exactly what Kubernetes' and Calico's regular expressions accept. */
class NamesProperties {
    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN = LABEL + "(\\." + LABEL + ")*";
    private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(SUBDOMAIN);
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern CALICO_POLICY_NAME =
            Pattern.compile("(" + LABEL + ")(\\." + LABEL + ")?|(knp|ossg)\\.default\\.(" + SUBDOMAIN + ")");
    private static final Pattern CALICO_GLOBAL_POLICY_NAME = Pattern.compile("(" + LABEL + "\\.)?" + LABEL);

    @Property(tries = 5000)
    void sameAsTheRegularExpressions(@ForAll("names") String s) {
        assertThat(Names.isLabel(s, 0, s.length()))
                .isEqualTo(DNS1123_LABEL.matcher(s).matches());
        assertThat(Names.isSubdomain(s, 0, s.length()))
                .isEqualTo(DNS1123_SUBDOMAIN.matcher(s).matches());
        assertThat(Names.isQualifiedNamePart(s, 0, s.length()))
                .isEqualTo(QUALIFIED_NAME_PART.matcher(s).matches());
        assertThat(Names.calicoPolicyName(s) == null)
                .isEqualTo(CALICO_POLICY_NAME.matcher(s).matches());
        assertThat(Names.calicoGlobalPolicyName(s) == null)
                .isEqualTo(CALICO_GLOBAL_POLICY_NAME.matcher(s).matches());
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> random =
                Arbitraries.strings().withChars("abz09AZ-._/ é").ofMinLength(0).ofMaxLength(12);
        return Arbitraries.oneOf(
                random,
                Arbitraries.of("knp.default.", "ossg.default.", "knp.", "ossg.default", "x.default.")
                        .flatMap(prefix -> random.map(rest -> prefix + rest)));
    }
}
