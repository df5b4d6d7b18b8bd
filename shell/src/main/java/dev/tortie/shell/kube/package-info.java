/**
 * Live clusters through fabric8: {@link dev.tortie.shell.kube.KubeSource} reads (and in the REPL watches) a cluster
 * into the policy index, {@link dev.tortie.shell.kube.KubeWriter} writes through the API (server-side apply, delete).
 *
 * <p>Loaded only when a live cluster is used: nothing on the snapshot start-up path may import this package.
 */
package dev.tortie.shell.kube;
