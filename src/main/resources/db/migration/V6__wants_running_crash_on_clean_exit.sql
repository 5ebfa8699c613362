-- One name for "should be running" in both faces' tables: wants_running, set by start, cleared by
-- stop, kill, a clean exit and a crash loop.
ALTER TABLE containers ADD COLUMN wants_running INTEGER NOT NULL DEFAULT 0;
UPDATE containers SET wants_running = CASE desired_power WHEN 'running' THEN 1 ELSE 0 END;
ALTER TABLE containers DROP COLUMN desired_power;
ALTER TABLE mc_servers RENAME COLUMN wanted_running TO wants_running;

-- Wings' DetectCleanExitAsCrash, per server: an exit with code 0 by itself counts as a crash.
ALTER TABLE containers ADD COLUMN crash_on_clean_exit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mc_servers ADD COLUMN crash_on_clean_exit INTEGER NOT NULL DEFAULT 0;
