#!/bin/sh
# concurrency_race.sh again, the board a database on a throwaway PostgreSQL
# server. 40 races instead of 200: each side there is a process and a
# server connection, many times what it is on SQLite, and the races' kinds
# all come round ten times.
LEADBOARD_TEST_BACKEND=pg RACE_ROUNDS=40 exec sh "$(dirname "$0")/concurrency_race.sh"
