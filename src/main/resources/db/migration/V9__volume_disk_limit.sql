-- A volume's size limit in bytes (disk_limit on POST /volumes, or a container's limits.disk); 0 means none.
ALTER TABLE volumes ADD COLUMN disk_limit INTEGER NOT NULL DEFAULT 0;
