#!/bin/sh
# Runs once, when the postgres container initialises an empty data folder (docker-entrypoint-initdb.d), as the
# bootstrap user (POSTGRES_USER, who owns the database and runs keywatch's migrations).
# Creates the role the API connects as: it logs in and owns nothing; keywatch's migrations grant it what it needs on
# every table (KEYWATCH_DB_APP_ROLE). The password comes from the environment, passed as a psql variable so that
# psql quotes it (:'app_password'), never pasted into the SQL.
set -eu
: "${KEYWATCH_DB_APP_USER:?set KEYWATCH_DB_APP_USER}"
: "${KEYWATCH_DB_APP_PASSWORD:?set KEYWATCH_DB_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 -v app_user="$KEYWATCH_DB_APP_USER" -v app_password="$KEYWATCH_DB_APP_PASSWORD" \
     --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE :"app_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
-- only the owner creates objects (PostgreSQL 15+ does this already; keywatch's grant step checks it)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
