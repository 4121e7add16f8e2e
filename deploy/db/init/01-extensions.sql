-- Runs once, when the app database volume is first initialised (docker-entrypoint-initdb.d).
-- Created here as the superuser, so it exists whether or not the app creates it itself, and even if
-- the app's database role is later made a non-superuser.
CREATE EXTENSION IF NOT EXISTS vector;
