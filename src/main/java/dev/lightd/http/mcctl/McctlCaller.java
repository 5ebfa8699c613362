package dev.lightd.http.mcctl;

/** The authenticated caller of an mcctl request. */
record McctlCaller(String username, String role) {
    static final String ATTRIBUTE = "mcctl.caller";

    boolean isAdmin() {
        return "admin".equals(role);
    }

    /**
     * An admin, or mcctl-console's "user": the console's back end checks that user's permission on
     * the server before it calls (as mcctl-api trusts it to); a "viewer" only reads.
     */
    boolean mayAct() {
        return isAdmin() || "user".equals(role);
    }
}
