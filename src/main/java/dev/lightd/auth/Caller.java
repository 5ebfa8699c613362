package dev.lightd.auth;

/** Who a Lightd request comes from: the holder of the master token or of a minted one. */
public enum Caller {
    MASTER,
    MINTED;

    public boolean isMaster() {
        return this == MASTER;
    }
}
