package dev.tortie.engine.ir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Calico's id hashing (libcalico-go/lib/hash), so ids agree with what Felix would compute. */
public final class Hashes {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Hashes() {}

    /** {@code prefix + ":" + base64url-nopad(SHA-224(prefix + ":" + content))}. */
    public static String uniqueId(String prefix, String content) {
        return prefix + ":" + URL.encodeToString(sha224((prefix + ":" + content).getBytes(StandardCharsets.UTF_8)));
    }

    /** A short stable hash for comments and names: the first {@code length} base64url chars of SHA-224. */
    public static String shortHash(String content, int length) {
        return URL.encodeToString(sha224(content.getBytes(StandardCharsets.UTF_8)))
                .substring(0, length);
    }

    public static byte[] sha224(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-224").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-224", e);
        }
    }

    /** 64-bit FNV-1a, used for numeric rule ids (BPF counters, NFLOG correlation). */
    public static long fnv64a(String content) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : content.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
