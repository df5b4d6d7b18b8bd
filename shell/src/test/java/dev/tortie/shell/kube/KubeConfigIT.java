package dev.tortie.shell.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tortie.shell.session.ExitCode;
import dev.tortie.shell.session.TortieException;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubeconfig handling: bad files, unknown contexts, unreachable servers and rejected credentials are exit 5 with a
 * message naming the file or server, and fast; exec credential plugins (as EKS uses) run as fabric8 runs them.
 */
class KubeConfigIT {
    @TempDir
    Path dir;

    MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = MockCluster.start(dir);
        cluster.create(MockCluster.ARTICLE);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static MockCluster.Run trace(String... options) {
        String[] args = new String[options.length + 2];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "-c";
        args[options.length + 1] = "trace app-a -> app-b:80";
        return MockCluster.run(args);
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope/config");
        MockCluster.Run run = trace("--kubeconfig", missing.toString());
        assertThat(run.code()).isEqualTo(5);
        assertThat(run.err()).isEqualTo("error: kubeconfig " + missing + ": no such file\n");
        assertThat(run.millis()).isLessThan(3000);
    }

    @Test
    void malformedYaml() {
        Path bad = cluster.write("bad", "apiVersion: v1\nclusters: [ {name: x\ncontexts: {{\n");
        MockCluster.Run run = trace("--kubeconfig", bad.toString());
        assertThat(run.code()).isEqualTo(5);
        assertThat(run.err())
                .isEqualTo("error: kubeconfig " + bad + " is not a valid kubeconfig: line 3, column 9: expected ','"
                        + " or '}', but got :\n");
        assertThat(run.millis()).isLessThan(3000);

        Path wrongType = cluster.write("wrong-type", "apiVersion: v1\nkind: Config\ncontexts: 5\n");
        MockCluster.Run typed = trace("--kubeconfig", wrongType.toString());
        assertThat(typed.code()).isEqualTo(5);
        assertThat(typed.err())
                .startsWith("error: kubeconfig " + wrongType + " is not a valid kubeconfig: contexts: cannot"
                        + " deserialize value of type");
    }

    @Test
    void unknownContextListsTheKnownOnes() {
        MockCluster.Run run = trace("--kubeconfig", cluster.kubeconfig.toString(), "--context", "prod");
        assertThat(run.code()).isEqualTo(5);
        assertThat(run.err())
                .isEqualTo("error: context 'prod' not found in kubeconfig " + cluster.kubeconfig + " (contexts:"
                        + " mock)\n");
    }

    @Test
    void unreachableServerIsFastAndNamesTheServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = cluster.write(
                "down",
                "apiVersion: v1\nkind: Config\ncurrent-context: down\n"
                        + "clusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:" + port + "\n"
                        + "contexts:\n- name: down\n  context:\n    cluster: c\n    user: u\n"
                        + "users:\n- name: u\n  user:\n    token: t\n");
        MockCluster.Run run = trace("--kubeconfig", config.toString());
        assertThat(run.code()).isEqualTo(5);
        assertThat(run.err())
                .isEqualTo("error: cannot reach the API server https://127.0.0.1:" + port + "/ (context 'down',"
                        + " kubeconfig " + config + "): connection refused\n");
        assertThat(run.millis()).isLessThan(3000);
    }

    @Test
    void noKubeconfigAnywhere() {
        TortieException e = (TortieException) catchThrowable(() -> KubeSource.open(
                new KubeOptions(null, null, false), Map.of("HOME", dir.toString()), KubeReporter.silent()));
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).isEqualTo(KubeConfigs.NO_KUBECONFIG);
    }

    @Test
    void kubeconfigFromTheEnvironment() throws IOException {
        Files.createDirectories(dir.resolve("home/.kube"));
        Files.copy(cluster.kubeconfig, dir.resolve("home/.kube/config"));
        try (KubeSource source = KubeSource.open(
                new KubeOptions(null, null, false),
                Map.of("HOME", dir.resolve("home").toString()),
                KubeReporter.silent())) {
            assertThat(source.name()).isEqualTo("mock");
        }
        try (KubeSource source = KubeSource.open(
                new KubeOptions(null, "mock", false),
                Map.of("KUBECONFIG", dir.resolve("missing") + ":" + cluster.kubeconfig, "HOME", "/nonexistent"),
                KubeReporter.silent())) {
            assertThat(source.status()).containsEntry("kubeconfig", cluster.kubeconfig.toString());
        }
    }

    @Test
    void rejectedCredentialsNameTheUser() {
        cluster.server.clearExpectations();
        cluster.server
                .expect()
                .get()
                .withPath("/version")
                .andReturn(401, "{\"kind\":\"Status\",\"code\":401,\"reason\":\"Unauthorized\"}")
                .always();
        assertThatThrownBy(() -> cluster.open(false, new MockCluster.Recorder()))
                .isInstanceOfSatisfying(
                        TortieException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CLUSTER))
                .hasMessage("the API server " + cluster.url() + "/ rejected the credentials of user 'tester' (401"
                        + " Unauthorized; context 'mock', kubeconfig " + cluster.kubeconfig + ")");
    }

    /**
     * EKS-style exec credential plugin: the kubeconfig runs a command (here a script next to the kubeconfig, given
     * by a relative path as kubectl allows) that prints an ExecCredential; its token must reach the API server.
     */
    @Test
    void execCredentialPluginTokenIsSent() throws Exception {
        Path argsFile = dir.resolve("plugin-args");
        Path plugin = cluster.write(
                "get-token.sh",
                "#!/bin/sh\n"
                        + "echo \"$@ CLUSTER=$CLUSTER\" > '" + argsFile + "'\n"
                        + "cat <<'JSON'\n"
                        + "{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\","
                        + "\"status\":{\"token\":\"k8s-aws-v1.plugin-token\"}}\n"
                        + "JSON\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
        Path config = cluster.writeKubeconfig(
                "eks-config",
                "eks",
                null,
                "    exec:\n"
                        + "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                        + "      command: ./get-token.sh\n"
                        + "      args: [eks, get-token, --cluster-name, demo, --region, eu-west-1]\n"
                        + "      env:\n"
                        + "      - name: CLUSTER\n"
                        + "        value: demo\n");
        try (KubeSource source =
                KubeSource.open(new KubeOptions(config.toString(), null, false), Map.of(), KubeReporter.silent())) {
            assertThat(source.name()).isEqualTo("eks");
            assertThat(source.defaultNamespace()).isEqualTo("default");
            assertThat(source.status())
                    .containsEntry(
                            "credentials", "exec: ./get-token.sh eks get-token --cluster-name demo --region eu-west-1");
        }
        assertThat(Files.readString(argsFile).strip())
                .isEqualTo("eks get-token --cluster-name demo --region eu-west-1 CLUSTER=demo");
        RecordedRequest last = cluster.server.getLastRequest();
        assertThat(last.getHeader("Authorization")).isEqualTo("Bearer k8s-aws-v1.plugin-token");
    }

    @Test
    void missingExecPluginFailsWithTheInstallHint() {
        Path config = cluster.writeKubeconfig(
                "eks-missing",
                "eks",
                null,
                "    exec:\n"
                        + "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                        + "      command: aws-tortie-test-missing\n"
                        + "      args: [eks, get-token]\n"
                        + "      installHint: Install the AWS CLI.\n");
        MockCluster.Run run = trace("--kubeconfig", config.toString());
        assertThat(run.code()).isEqualTo(5);
        assertThat(run.err())
                .isEqualTo("error: exec credential plugin 'aws-tortie-test-missing' for user 'tester' not found;"
                        + " Install the AWS CLI.\n");
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }
}
