package dev.lightd.http.mcctl;

/** The authenticated caller of an mcctl request. */
record McctlCaller(String username, String role) {
    static final String ATTRIBUTE = "mcctl.caller";

    boolean isAdmin() {
        return "admin".equals(role);
    }
}
