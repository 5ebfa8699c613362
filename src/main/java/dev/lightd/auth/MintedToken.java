package dev.lightd.auth;

import java.time.Instant;

/** A freshly minted token: the only time its text exists outside the caller's hands. */
public record MintedToken(String id, String token, Instant expiresAt) {}
