package io.taskcenter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * An RSA key made for one test run, standing in for an identity provider: a service process started with
 * {@link #settings(Map)} verifies the tokens it signs. Nothing key-like is committed.
 */
public final class SigningKey {

    private final KeyPair keys;
    private final Path publicKey;

    private SigningKey(KeyPair keys, Path publicKey) {
        this.keys = keys;
        this.publicKey = publicKey;
    }

    public static SigningKey generate() throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path publicKey = Files.createTempFile("taskcenter-it-", ".pem");
        publicKey.toFile().deleteOnExit();
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        return new SigningKey(keys, publicKey);
    }

    /** {@code settings} plus authentication on, trusting this key and {@link Tokens#ISSUER}. */
    public Map<String, String> settings(Map<String, String> settings) {
        Map<String, String> secured = new HashMap<>(settings);
        secured.put("taskcenter.auth.enabled", "true");
        secured.put("mp.jwt.verify.publickey.location", publicKey.toString());
        secured.put("mp.jwt.verify.issuer", Tokens.ISSUER);
        return secured;
    }

    public String worker(String workerId, int maxCapacity, Integer... taskTypes) {
        return Jwt.issuer(Tokens.ISSUER).subject(workerId).claim("taskTypes", List.of(taskTypes))
                .claim("maxCapacity", maxCapacity).expiresIn(Duration.ofMinutes(10)).sign(keys.getPrivate());
    }

    public String operator(String subject, String... roles) {
        return Jwt.issuer(Tokens.ISSUER).subject(subject).groups(Set.of(roles)).expiresIn(Duration.ofMinutes(10))
                .sign(keys.getPrivate());
    }
}
