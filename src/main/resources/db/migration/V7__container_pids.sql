-- A container's own PID limit (limits.pids); 0 means the daemon's containers.pids_limit.
ALTER TABLE containers ADD COLUMN pids INTEGER NOT NULL DEFAULT 0;
