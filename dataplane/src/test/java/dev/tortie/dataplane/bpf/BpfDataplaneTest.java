package dev.tortie.dataplane.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.Names;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetEntries;
import dev.tortie.dataplane.bpf.ipsets.Ipv4SetKey;
import dev.tortie.dataplane.bpf.polprog.Conntrack;
import dev.tortie.dataplane.bpf.polprog.Hook;
import dev.tortie.dataplane.bpf.polprog.PolicyProgram;
import dev.tortie.dataplane.bpf.polprog.PolicyProgramBuilder;
import dev.tortie.engine.ir.IpSetContent;
import dev.tortie.engine.ir.IpSetDefinition;
import dev.tortie.engine.ir.IpSetType;
import dev.tortie.engine.ir.NodeProgram;
import dev.tortie.engine.model.Direction;
import dev.tortie.engine.model.Protocol;
import dev.tortie.engine.net.IpAddress;
import dev.tortie.engine.selector.Selector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driver's pure parts: what it would attach where, the IP-set entries it would write, the connection keys. */
class BpfDataplaneTest {

    @Test
    void renderPutsEachDirectionOnTheCrossedOverHookOfTheWorkloadInterface() {
        NodeProgram node = BpfScenarios.load("tiered").nodeProgram(null);
        Map<BpfDataplane.AttachPoint, PolicyProgram> programs =
                BpfDataplane.render(node, DataplaneConfig.defaults(), PolicyProgramBuilder.Options.defaults());
        assertThat(programs).hasSize(8);
        String iface = Names.workloadInterface("cali", "db", "postgres");
        PolicyProgram ingress = programs.get(new BpfDataplane.AttachPoint(iface, Hook.TC_EGRESS));
        PolicyProgram egress = programs.get(new BpfDataplane.AttachPoint(iface, Hook.TC_INGRESS));
        assertThat(ingress.endpoint()).isEqualTo("db/postgres");
        assertThat(ingress.direction()).isEqualTo(Direction.INGRESS);
        assertThat(egress.direction()).isEqualTo(Direction.EGRESS);
        assertThat(new BpfDataplane.AttachPoint(iface, Hook.TC_EGRESS).pinName())
                .isEqualTo(iface + "_egress")
                .doesNotContain(".");
    }

    @Test
    void flowLogsOffInTheConfigurationLeaveTheRingBufferOut() {
        NodeProgram node = BpfScenarios.load("tiered").nodeProgram(null);
        DataplaneConfig off = DataplaneConfig.builder().flowLogsEnabled(false).build();
        for (PolicyProgram p : BpfDataplane.render(node, off, PolicyProgramBuilder.Options.defaults())
                .values()) {
            assertThat(p.listing()).doesNotContain("tt_flows");
        }
        for (PolicyProgram p : BpfDataplane.render(
                        node, DataplaneConfig.defaults(), PolicyProgramBuilder.Options.defaults())
                .values()) {
            assertThat(p.listing()).contains("call bpf_ringbuf_output");
        }
        BpfDataplane dp = new BpfDataplane(off, BpfDataplane.Options.of(java.nio.file.Path.of("/nonexistent"), null));
        assertThat(dp.flowLog().enabled()).isFalse();
        assertThat(dp.flowLog()).isSameAs(dp.flowLog());
        assertThat(new BpfDataplane(DataplaneConfig.defaults(), dp.options())
                        .flowLog()
                        .backend())
                .isEqualTo("bpf (ring buffer)");
    }

    @Test
    void ipSetEntriesCoverCidrAndNamedPortMembersAndLeaveOutIpv6() {
        IpSetDefinition pods = new IpSetDefinition("s:pods", IpSetType.NET, Selector.all(), null, null);
        IpSetDefinition http = new IpSetDefinition("n:http", IpSetType.IP_PORT, Selector.all(), Protocol.TCP, "http");
        Ipv4SetEntries entries = Ipv4SetEntries.of(Map.of(
                "s:pods", new IpSetContent(pods, List.of("10.65.0.5/32", "192.0.2.0/24", "fd00::5/128")),
                "n:http", new IpSetContent(http, List.of("10.65.0.5,tcp:80", "fd00::5,tcp:80"))));
        assertThat(entries.keys())
                .containsExactlyInAnyOrder(
                        Ipv4SetKey.member(Ipv4SetKey.setIdOf("s:pods"), "10.65.0.5/32"),
                        Ipv4SetKey.member(Ipv4SetKey.setIdOf("s:pods"), "192.0.2.0/24"),
                        Ipv4SetKey.member(Ipv4SetKey.setIdOf("n:http"), "10.65.0.5,tcp:80"));
        assertThat(entries.skipped()).containsExactlyInAnyOrder("s:pods fd00::5/128", "n:http fd00::5,tcp:80");
    }

    @Test
    void bothDirectionsOfAConnectionShareTheKey() {
        IpAddress a = IpAddress.parse("10.65.0.10");
        IpAddress b = IpAddress.parse("10.65.1.3");
        assertThat(Conntrack.key(6, a, 40000, b, 80)).isEqualTo(Conntrack.key(6, b, 80, a, 40000));
        assertThat(Conntrack.key(6, a, 40000, b, 80)).isNotEqualTo(Conntrack.key(17, a, 40000, b, 80));
        assertThat(Conntrack.key(6, a, 40000, a, 80)).isEqualTo(Conntrack.key(6, a, 80, a, 40000));
    }
}
