package dev.tortie.dataplane.bpf.polprog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.bpf.BpfScenarios;
import dev.tortie.dataplane.bpf.asm.Golden;
import dev.tortie.dataplane.bpf.asm.Insn;
import dev.tortie.dataplane.bpf.asm.JmpOp;
import dev.tortie.dataplane.bpf.asm.Program;
import dev.tortie.engine.ir.EndpointProgram;
import dev.tortie.engine.ir.IrRule;
import dev.tortie.engine.ir.LocalEndpoint;
import dev.tortie.engine.ir.Match;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.ir.Side;
import dev.tortie.engine.model.Action;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.PortSpec;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.Cidr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden listings of the policy programs for the scenarios ({@code <scenario>.<namespace>.<pod>.<direction>.asm};
 * regenerate with {@code -Dgolden.update=true} and review the diff like code) and the builder's pure properties.
 */
class PolicyProgramTest {

    @Test
    void goldenListings() throws IOException {
        int files = 0;
        for (String scenario : BpfScenarios.GOLDEN) {
            NodeProgram node = BpfScenarios.load(scenario).nodeProgram(null);
            for (LocalEndpoint e : node.endpoints()) {
                for (Direction d : Direction.values()) {
                    PolicyProgram p = PolicyProgramBuilder.build(e, d);
                    Golden.assertListing(
                            scenario + "." + e.namespace() + "." + e.name() + "." + d.lowerName(), p.listing());
                    files++;
                }
            }
        }
        assertThat(files).isEqualTo(2 * (2 + 2 + 4));
    }

    @Test
    void sameInputSameProgramAndName() {
        NodeProgram node = BpfScenarios.load("tiered").nodeProgram(null);
        LocalEndpoint postgres = node.endpoints().stream()
                .filter(e -> e.name().equals("postgres"))
                .findFirst()
                .orElseThrow();
        PolicyProgram a = PolicyProgramBuilder.build(postgres, Direction.INGRESS);
        PolicyProgram b = PolicyProgramBuilder.build(postgres, Direction.INGRESS);
        assertThat(a.program()).isEqualTo(b.program());
        assertThat(a.name()).matches("tti_[0-9a-f]{11}").isEqualTo(b.name());
        assertThat(PolicyProgramBuilder.build(postgres, Direction.EGRESS).name())
                .startsWith("tte_");
        assertThat(a.hook()).isEqualTo(Hook.TC_EGRESS);
        assertThat(a.ruleIds())
                .containsValue("knp/db/allow-web-to-db/ingress/0")
                .containsValue("tier/security/ingress/end".replace("security", "default"))
                .containsValue("endpoint/db/postgres/ingress/no-profile")
                .containsValue("endpoint/db/postgres/ingress/established");
    }

    @Test
    void policyDecisionsWriteOneFlowEventUnlessFlowEventsAreOff() {
        NodeProgram node = BpfScenarios.load("tiered").nodeProgram(null);
        LocalEndpoint postgres = node.endpoints().stream()
                .filter(e -> e.name().equals("postgres"))
                .findFirst()
                .orElseThrow();
        String on = PolicyProgramBuilder.build(postgres, Direction.INGRESS).listing();
        assertThat(on.split("call bpf_ringbuf_output", -1))
                .as("one call site, in the footer")
                .hasSize(2);
        assertThat(on).contains("map[tt_flows]", "map[tt_flow_lost]", "-> deny [tier/default/ingress/end");
        assertThat(on).contains("-> accept [knp/db/allow-web-to-db/ingress/0");
        assertThat(on).contains("-> accept untracked [endpoint/db/postgres/ingress/established");
        String off = PolicyProgramBuilder.build(
                        postgres,
                        Direction.INGRESS,
                        PolicyProgramBuilder.Options.defaults().withFlowEvents(false))
                .listing();
        assertThat(off).doesNotContain("tt_flows", "tt_flow_lost", "ringbuf");
    }

    @Test
    void everyInstructionIsReachable() {
        for (String scenario : BpfScenarios.GOLDEN) {
            for (LocalEndpoint e : BpfScenarios.load(scenario).nodeProgram(null).endpoints()) {
                for (Direction d : Direction.values()) {
                    Program p = PolicyProgramBuilder.build(e, d).program();
                    assertThat(Reachability.strip(p)).as("%s %s", e.key(), d).isSameAs(p);
                }
            }
        }
    }

    @Test
    void rulesAfterAnUnconditionalOneAreLeftOutWithAComment() {
        IrRule all = PolicyProgramPrivilegedIT.rule("all", Direction.INGRESS, Action.ALLOW, List.of());
        IrRule later = PolicyProgramPrivilegedIT.rule(
                "later", Direction.INGRESS, Action.DENY, List.of(new Match.ProtocolIs(Protocol.TCP, false)));
        EndpointProgram ep = PolicyProgramPrivilegedIT.isolated("x/a", Direction.INGRESS, all, later);
        String listing = PolicyProgramBuilder.build(ep, PolicyProgramBuilder.Options.defaults())
                .listing();
        assertThat(listing)
                .contains("(unreachable, left out) rule gnp/later/ingress/0 Deny")
                .contains("unreachable instructions left out");
    }

    @Test
    void longProgramsRelayFarJumpsThroughTrampolines() {
        List<IrRule> rules = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rules.add(PolicyProgramPrivilegedIT.rule(
                    "r" + i,
                    Direction.INGRESS,
                    i % 2 == 0 ? Action.ALLOW : Action.PASS,
                    List.of(
                            new Match.ProtocolIs(Protocol.TCP, false),
                            new Match.Cidrs(Side.SOURCE, List.of(Cidr.parse("10.0.0.0/8")), false),
                            new Match.Ports(Side.DESTINATION, List.of(PortSpec.single(1 + i)), List.of(), false))));
        }
        EndpointProgram ep = PolicyProgramPrivilegedIT.isolated("x/a", Direction.INGRESS, rules.toArray(new IrRule[0]));
        Program p = PolicyProgramBuilder.build(ep, PolicyProgramBuilder.Options.defaults())
                .program();
        assertThat(p.slotCount()).isGreaterThan(40_000); // beyond a 16-bit jump from the first rule to the footer
        assertThat(p.labels().keySet()).contains("far1_accept", "far1_tier0_end", "far2_drop");
        int longest = 0;
        for (Insn insn : p.insns()) {
            if (insn.jmpOp() == JmpOp.JA || insn.isJump()) {
                longest = Math.max(longest, Math.abs(insn.off()));
            }
        }
        assertThat(longest).isLessThan(PolicyProgramBuilder.Options.defaults().trampolineInterval() + 1000);
    }
}
