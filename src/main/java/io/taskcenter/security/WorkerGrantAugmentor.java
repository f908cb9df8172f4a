package io.taskcenter.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Reads a token's worker grant once per request, when Quarkus builds the caller's identity, and keeps it (or
 * what is wrong with it) as an identity attribute: the upgrade gate and the endpoint both look at it, and neither
 * parses the token again.
 */
@ApplicationScoped
class WorkerGrantAugmentor implements SecurityIdentityAugmentor {

    /** A {@link WorkerGrant}, or the message saying why the token grants nothing. */
    static final String GRANT = "taskcenter.worker-grant";

    private final WorkerTokens tokens;

    WorkerGrantAugmentor(WorkerTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!tokens.required() || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken)) {
            return Uni.createFrom().item(identity);
        }
        Object grant;
        try {
            grant = tokens.read(identity);
        } catch (IllegalArgumentException e) {
            grant = e.getMessage();
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addAttribute(GRANT, grant).build());
    }
}
