package dev.tortie.dataplane.driver;

import dev.tortie.dataplane.DataplaneConfig;
import dev.tortie.dataplane.DataplaneException;
import dev.tortie.dataplane.os.CommandFailedException;
import dev.tortie.dataplane.os.CommandResult;
import dev.tortie.dataplane.os.CommandRunner;
import dev.tortie.dataplane.render.iptables.ChainNames;
import java.util.List;

/** The two iptables userspaces: both program the kernel, each sees only its own rules. */
public enum IptablesBackend {
    NFT("iptables-nft-save", "iptables-nft-restore"),
    LEGACY("iptables-legacy-save", "iptables-legacy-restore");

    private final String save;
    private final String restore;

    IptablesBackend(String save, String restore) {
        this.save = save;
        this.restore = restore;
    }

    /** {@code iptables-*-save -c -t filter}: the filter table with counters. */
    public List<String> saveFilterArgv() {
        return List.of(save, "-c", "-t", "filter");
    }

    /** {@code iptables-*-restore --noflush --wait=10}: one atomic transaction, waiting for the xtables lock. */
    public List<String> restoreArgv() {
        return List.of(restore, "--noflush", "--wait=10");
    }

    public String saveBinary() {
        return save;
    }

    /**
     * The backend to use: the configured one, or (AUTO) the one that already holds tortie chains, else the one with
     * more rules (kube-proxy and other agents must share ours), else nft. A configured backend whose tools do not run
     * is an error; AUTO picks the one that runs.
     */
    public static IptablesBackend detect(CommandRunner runner, DataplaneConfig.IptablesMode mode) {
        if (mode == DataplaneConfig.IptablesMode.NFT || mode == DataplaneConfig.IptablesMode.LEGACY) {
            IptablesBackend chosen = mode == DataplaneConfig.IptablesMode.NFT ? NFT : LEGACY;
            CommandResult r = chosen.probe(runner);
            if (!r.ok()) {
                throw new DataplaneException(
                        "iptables backend " + chosen.name().toLowerCase(java.util.Locale.ROOT) + " check",
                        r,
                        false,
                        null);
            }
            return chosen;
        }
        CommandResult nft = NFT.probe(runner);
        CommandResult legacy = LEGACY.probe(runner);
        if (!nft.ok() && !legacy.ok()) {
            throw new DataplaneException("iptables backend detection (neither nft nor legacy runs)", nft, false, null);
        }
        if (!nft.ok()) {
            return LEGACY;
        }
        if (!legacy.ok()) {
            return NFT;
        }
        boolean nftOurs = hasTortie(nft.stdout());
        boolean legacyOurs = hasTortie(legacy.stdout());
        if (nftOurs != legacyOurs) {
            return nftOurs ? NFT : LEGACY;
        }
        return countRules(legacy.stdout()) > countRules(nft.stdout()) ? LEGACY : NFT;
    }

    private CommandResult probe(CommandRunner runner) {
        try {
            return runner.run(List.of(save));
        } catch (CommandFailedException e) {
            return e.result();
        }
    }

    private static boolean hasTortie(String save) {
        return save.contains(":" + ChainNames.PREFIX);
    }

    static int countRules(String save) {
        int n = 0;
        for (String line : save.split("\n")) {
            if (line.startsWith("-A ") || line.contains("] -A ")) {
                n++;
            }
        }
        return n;
    }
}
