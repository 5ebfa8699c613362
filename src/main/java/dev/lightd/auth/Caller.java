package dev.lightd.auth;

/**
 * Who a Lightd request comes from: the holder of the master token, or of a minted one (its id, what
 * it may reach and whether it works only once).
 */
public record Caller(boolean master, String tokenId, TokenGrant grant, boolean singleUse) {

    public static final Caller MASTER = new Caller(true, null, TokenGrant.UNSCOPED, false);

    public static Caller minted(String tokenId, TokenGrant grant, boolean singleUse) {
        return new Caller(false, tokenId, grant, singleUse);
    }

    public boolean isMaster() {
        return master;
    }
}
