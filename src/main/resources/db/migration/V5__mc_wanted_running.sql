-- Whether a Minecraft server should be running: set by start, cleared by stop. A server the engine
-- or a daemon restart took down is started again when both are back.
ALTER TABLE mc_servers ADD COLUMN wanted_running INTEGER NOT NULL DEFAULT 0;
