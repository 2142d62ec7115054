#!/bin/sh
# crash_kill.sh again, the board a database on a throwaway PostgreSQL
# server: an import of 3,000 rows instead of 20,000 (all or nothing holds at
# any size; the kills land at the same fractions of it) and bursts of 40
# moves per writer instead of 150 (1,500 rows and 20 moves in make test).
LEADBOARD_TEST_BACKEND=pg exec sh "$(dirname "$0")/crash_kill.sh"
