package dev.lightd.auth;

import java.time.Instant;

public record MintedToken(String token, Instant expiresAt) {}
