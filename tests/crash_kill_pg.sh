#!/bin/sh
# crash_kill.sh again, each board a database on a throwaway PostgreSQL server.
LEADBOARD_TEST_BACKEND=pg exec sh "$(dirname "$0")/crash_kill.sh"
