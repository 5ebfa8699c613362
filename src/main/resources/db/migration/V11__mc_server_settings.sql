-- Settings an mcctl server's owner changed (PATCH /api/servers/:name/config), as a JSON object of
-- mcctl-console's keys ({"difficulty":"hard","maxPlayers":40}); applied as the image's environment
-- when its container is made for the next start. Keys never set keep the image's defaults.
ALTER TABLE mc_servers ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
