package dev.tortie.engine.ir;

/** Kernel shape of an IP set: addresses/CIDRs, or (address, protocol, port) triples for named ports. */
public enum IpSetType {
    NET("hash:net"),
    IP_PORT("hash:ip,port");

    private final String ipsetType;

    IpSetType(String ipsetType) {
        this.ipsetType = ipsetType;
    }

    public String ipsetType() {
        return ipsetType;
    }
}
