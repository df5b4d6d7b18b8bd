package dev.tortie.dataplane.render.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.render.ipset.IpsetNames;
import dev.tortie.dataplane.render.ipset.KernelSet;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.PolicyId;
import dev.tortie.engine.model.PolicyKind;
import dev.tortie.engine.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainNamesTest {
    @Test
    void namesFitAndLongOnesAreHashed() {
        assertThat(ChainNames.toWorkload("cali1234567890a")).isEqualTo("tortie-tw-cali1234567890a");
        assertThat(ChainNames.profile("kns.app-a", Direction.INGRESS)).isEqualTo("tortie-pri-kns.app-a");
        String longProfile = ChainNames.profile("kns.a-very-long-namespace-name-indeed", Direction.EGRESS);
        assertThat(longProfile).startsWith("tortie-pro-_").hasSize(ChainNames.MAX_LENGTH);
        assertThat(ChainNames.limited("tortie-x-", "has/slash"))
                .startsWith("tortie-x-_")
                .hasSize(28);
        String policy = ChainNames.policy(
                new PolicyId(PolicyKind.KUBERNETES_NETWORK_POLICY, "app-b", "allow"), Direction.INGRESS);
        assertThat(policy).startsWith("tortie-pi-").hasSize(28);
        assertThat(ChainNames.policy(
                        new PolicyId(PolicyKind.KUBERNETES_NETWORK_POLICY, "app-b", "allow"), Direction.EGRESS))
                .isEqualTo(policy.replace("-pi-", "-po-"));
    }

    @Test
    void commentsCarryHashAndIdWithinTheKernelLimit() {
        assertThat(ChainNames.comment("0123456789abcdef", "knp/app-b/allow/ingress/0"))
                .isEqualTo("tortie:0123456789abcdef knp/app-b/allow/ingress/0");
        assertThat(ChainNames.comment("0123456789abcdef", null)).isEqualTo("tortie:0123456789abcdef");
        String longId = "knp/" + "n".repeat(63) + "/" + "p".repeat(253) + "/ingress/12";
        String comment = ChainNames.comment("0123456789abcdef", longId);
        assertThat(comment.length()).isLessThanOrEqualTo(ChainNames.MAX_COMMENT_LENGTH);
        assertThat(comment).contains("~");
    }

    @Test
    void setNamesFollowFelixAndFit() {
        String name = IpsetNames.main("s:qMt7iLlGDhvLnCjM0l9nzxbWp6UXuqC2zcyCSw");
        assertThat(name).isEqualTo("tortie40s:qMt7iLlGDhvLnCjM0l9nz").hasSize(31);
        assertThat(IpsetNames.tempFor(name)).isEqualTo("tortie4ts:qMt7iLlGDhvLnCjM0l9nz");
        assertThat(IpsetNames.isMain(name)).isTrue();
        assertThat(IpsetNames.isTemp(IpsetNames.tempFor(name))).isTrue();
        assertThat(IpsetNames.owned("KUBE-CLUSTER-IP")).isFalse();
        assertThat(IpsetNames.cidrSetId(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.168.0.0/16"))))
                .isEqualTo(IpsetNames.cidrSetId(List.of(Cidr.parse("192.168.0.0/16"), Cidr.parse("10.0.0.0/8"))));
        assertThatThrownBy(() -> IpsetNames.tempFor("KUBE-X")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kernelSetMembersAreCanonical() {
        KernelSet s = new KernelSet(
                "tortie40s:x",
                KernelSet.HASH_NET,
                10,
                List.of("10.0.0.1/32", "10.0.0.0/8", "0.0.0.0/0", "10.0.0.1"),
                "");
        assertThat(s.members()).containsExactly("0.0.0.0/1", "10.0.0.0/8", "10.0.0.1", "128.0.0.0/1");
    }

    @Test
    void configRejectsBadMarksAndPrefixes() {
        assertThatThrownBy(() -> DataplaneConfig.builder().acceptMark(0x30000).build())
                .hasMessageContaining("single bit");
        assertThatThrownBy(() -> DataplaneConfig.builder().passMark(0x10000).build())
                .hasMessageContaining("used twice");
        assertThatThrownBy(() ->
                        DataplaneConfig.builder().interfacePrefixes("ca li").build())
                .hasMessageContaining("interface prefix");
        assertThat(DataplaneConfig.defaults().allMarks()).isEqualTo(0x1b0000);
    }
}
