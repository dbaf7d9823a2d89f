#!/bin/sh
# Two roles for the portal (docs/decisions/0020-database-roles.md), created by the postgres
# image's entrypoint on the first start of an empty data directory:
#   portal_owner  owns the database, its schema and (after `manage.py migrate`) every table;
#                 only the one-shot `migrate` service connects as it (DATABASE_OWNER_URL).
#   portal_app    owns nothing; web, worker and beat connect as it (DATABASE_URL). migrate's
#                 post_migrate grants it the normal DML, but on audit entries only SELECT and
#                 INSERT, on chain heads SELECT, INSERT and UPDATE; never TRUNCATE.
# Passwords come from POSTGRES_OWNER_PASSWORD and POSTGRES_APP_PASSWORD. An existing data
# directory is not touched by the entrypoint: run this script once by hand there (README).
set -eu

: "${POSTGRES_OWNER_PASSWORD:?set POSTGRES_OWNER_PASSWORD}"
: "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-portal}" \
    -v dbname="${POSTGRES_DB:-portal}" \
    -v owner="${POSTGRES_OWNER_USER:-portal_owner}" \
    -v app="${POSTGRES_APP_USER:-portal_app}" \
    -v owner_password="$POSTGRES_OWNER_PASSWORD" \
    -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
ALTER DATABASE :"dbname" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO :"app";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
SQL
