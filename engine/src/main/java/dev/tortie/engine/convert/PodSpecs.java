package dev.tortie.engine.convert;

import dev.tortie.engine.model.ContainerPort;
import dev.tortie.engine.model.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the parts of a pod spec (a Pod's or a workload template's) that policy cares about. */
final class PodSpecs {
    private PodSpecs() {}

    /** {@code serviceAccountName}, else the deprecated {@code serviceAccount}, else "default". */
    static String serviceAccount(ConversionContext ctx, Map<String, Object> podSpec, String at) {
        String name = ctx.string(podSpec, "serviceAccountName", at);
        if (name == null || name.isEmpty()) {
            name = ctx.string(podSpec, "serviceAccount", at);
        }
        return name == null || name.isEmpty() ? "default" : name;
    }

    /** Every {@code containers[].ports[]} entry, validated as the API server does. */
    static List<ContainerPort> containerPorts(ConversionContext ctx, Map<String, Object> podSpec, String at) {
        List<ContainerPort> out = new ArrayList<>();
        List<Object> containers = ctx.list(podSpec, "containers", at);
        if (containers == null) {
            return out;
        }
        Set<String> names = new HashSet<>();
        String containersAt = ConversionContext.path(at, "containers");
        for (int c = 0; c < containers.size(); c++) {
            String containerAt = ConversionContext.index(containersAt, c);
            Map<String, Object> container = ctx.asMap(containers.get(c), containerAt);
            List<Object> ports = ctx.list(container, "ports", containerAt);
            if (ports == null) {
                continue;
            }
            String portsAt = ConversionContext.path(containerAt, "ports");
            for (int p = 0; p < ports.size(); p++) {
                String portAt = ConversionContext.index(portsAt, p);
                ContainerPort port = containerPort(ctx, ctx.asMap(ports.get(p), portAt), portAt, names);
                if (port != null) {
                    out.add(port);
                }
            }
        }
        return out;
    }

    private static ContainerPort containerPort(
            ConversionContext ctx, Map<String, Object> port, String at, Set<String> names) {
        if (port == null) {
            return null;
        }
        boolean ok = true;
        Long number = ctx.integer(port, "containerPort", at);
        if (number == null) {
            if (!port.containsKey("containerPort") || port.get("containerPort") == null) {
                ctx.error(ConversionContext.path(at, "containerPort"), "containerPort is required");
            }
            ok = false;
        } else if (number < 1 || number > 65535) {
            ctx.error(ConversionContext.path(at, "containerPort"), "port " + number + " is out of range 1-65535");
            ok = false;
        }
        String name = ctx.string(port, "name", at);
        if (name != null && name.isEmpty()) {
            name = null;
        }
        if (name != null) {
            String problem = Names.portName(name);
            if (problem != null) {
                ctx.error(ConversionContext.path(at, "name"), "port name '" + name + "' is invalid: " + problem);
                ok = false;
            } else if (!names.add(name)) {
                ctx.error(ConversionContext.path(at, "name"), "port name '" + name + "' is declared twice in the pod");
                ok = false;
            }
        }
        Protocol protocol = Protocol.TCP;
        String protocolText = ctx.string(port, "protocol", at);
        if (protocolText != null) {
            protocol = kubernetesProtocol(protocolText);
            if (protocol == null) {
                ctx.error(
                        ConversionContext.path(at, "protocol"),
                        "protocol '" + protocolText + "' is invalid: must be TCP, UDP or SCTP");
                ok = false;
            }
        }
        return ok ? new ContainerPort(name, protocol, number.intValue()) : null;
    }

    /** Kubernetes' exact-case protocol names; null for anything else. */
    static Protocol kubernetesProtocol(String text) {
        switch (text) {
            case "TCP":
                return Protocol.TCP;
            case "UDP":
                return Protocol.UDP;
            case "SCTP":
                return Protocol.SCTP;
            default:
                return null;
        }
    }
}
