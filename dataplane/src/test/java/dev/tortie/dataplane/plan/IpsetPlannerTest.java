package dev.tortie.dataplane.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.render.ipset.IpsetRendering;
import dev.tortie.dataplane.render.ipset.KernelSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpsetPlannerTest {
    private static KernelSet net(String name, String... members) {
        return new KernelSet(name, KernelSet.HASH_NET, 1_048_576, List.of(members), "");
    }

    private static final String SAVED = String.join(
            "\n",
            "create KUBE-X hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x1",
            "add KUBE-X 1.2.3.4",
            "create tortie40s:keep hash:net family inet hashsize 1024 maxelem 1048576 bucketsize 12 initval 0x2",
            "add tortie40s:keep 10.0.0.1",
            "add tortie40s:keep 10.0.0.2",
            "create tortie40s:gone hash:net family inet hashsize 1024 maxelem 1048576 bucketsize 12 initval 0x3",
            "create tortie40s:small hash:net family inet hashsize 1024 maxelem 10 bucketsize 12 initval 0x4",
            "create tortie40n:typed hash:net family inet hashsize 1024 maxelem 1048576 bucketsize 12 initval 0x5",
            "create tortie4ts:leftover hash:net family inet hashsize 1024 maxelem 1048576 bucketsize 12 initval 0x6",
            "");

    @Test
    void deltasSwapsRecreationsAndLateDestroys() {
        Map<String, ObservedSet> observed = IpsetSaveParser.parse(SAVED);
        assertThat(observed).doesNotContainKey("KUBE-X").hasSize(5);
        IpsetRendering desired = new IpsetRendering(List.of(
                net("tortie40s:keep", "10.0.0.2/32", "10.0.0.3/32"),
                net("tortie40s:small", "10.0.0.9"),
                new KernelSet("tortie40n:typed", KernelSet.HASH_IP_PORT, 1_048_576, List.of("10.0.0.1,tcp:80"), ""),
                net("tortie40s:new", "0.0.0.0/0")));

        IpsetPlan plan = IpsetPlanner.plan(desired, observed);

        assertThat(plan.before())
                .startsWith("destroy tortie4ts:leftover\n")
                .contains("del tortie40s:keep 10.0.0.1\nadd tortie40s:keep 10.0.0.3\n")
                .contains("create tortie4ts:small hash:net family inet maxelem 1048576\nadd tortie4ts:small 10.0.0.9\n"
                        + "swap tortie4ts:small tortie40s:small\ndestroy tortie4ts:small\n")
                .contains("destroy tortie40n:typed\ncreate tortie40n:typed hash:ip,port")
                .contains("add tortie40s:new 0.0.0.0/1\nadd tortie40s:new 128.0.0.0/1\n")
                .doesNotContain("gone");
        assertThat(plan.after()).isEqualTo("destroy tortie40s:gone\n");
        assertThat(plan.recreated()).containsExactly("tortie40n:typed");
    }

    @Test
    void sameSetsAreANoOp() {
        Map<String, ObservedSet> observed = IpsetSaveParser.parse(SAVED);
        IpsetRendering same = new IpsetRendering(observed.values().stream()
                .filter(s -> !s.name().startsWith("tortie4t"))
                .map(ObservedSet::toKernelSet)
                .toList());
        IpsetPlan plan = IpsetPlanner.plan(same, observed);
        assertThat(plan.before()).isEqualTo("destroy tortie4ts:leftover\n");
        assertThat(plan.after()).isEmpty();
    }
}
