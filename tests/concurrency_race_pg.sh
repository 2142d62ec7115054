#!/bin/sh
# concurrency_race.sh again, the board a database on a throwaway PostgreSQL
# server. 40 races instead of 200 (24 instead of 60 in make test): each
# side there is a process and a server connection, many times what it is on
# SQLite, and the races' kinds all come round six times or more.
LEADBOARD_TEST_BACKEND=pg exec sh "$(dirname "$0")/concurrency_race.sh"
