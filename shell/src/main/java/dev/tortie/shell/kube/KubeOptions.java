package dev.tortie.shell.kube;

/**
 * How to reach a live cluster.
 *
 * @param kubeconfig a kubeconfig file; null = the default chain ({@code KUBECONFIG}, {@code ~/.kube/config}, the
 *     in-cluster service account)
 * @param context the kubeconfig context; null = the current context
 * @param watch keep the model current with watches (the REPL); false lists once (one-shot commands)
 */
public record KubeOptions(String kubeconfig, String context, boolean watch) {}
