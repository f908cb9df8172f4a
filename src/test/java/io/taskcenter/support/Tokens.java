package io.taskcenter.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Worker and operator tokens as an identity provider would issue them. In test mode smallrye-jwt makes an
 * in-memory key pair: the service verifies with its public half and {@code sign()} signs with the private half,
 * so nothing key-like is committed.
 */
public final class Tokens {

    /** The issuer the secured test profile trusts ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "https://issuer.taskcenter.test";

    private Tokens() {
    }

    /** A token for worker {@code workerId} that may take {@code taskTypes}, up to {@code maxCapacity} at once. */
    public static String worker(String workerId, int maxCapacity, Integer... taskTypes) {
        return claims(workerId).claim("taskTypes", List.of(taskTypes)).claim("maxCapacity", maxCapacity).sign();
    }

    public static String operator(String subject, String... roles) {
        return claims(subject).groups(Set.of(roles)).sign();
    }

    public static String expiredWorker(String workerId) {
        return Jwt.issuer(ISSUER).subject(workerId).claim("taskTypes", List.of(1))
                .issuedAt(Instant.now().minus(Duration.ofHours(2))).expiresAt(Instant.now().minus(Duration.ofHours(1)))
                .sign();
    }

    public static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(ISSUER).subject(subject).expiresIn(Duration.ofMinutes(10));
    }
}
