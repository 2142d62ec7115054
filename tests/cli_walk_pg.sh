#!/bin/sh
# cli_walk.sh again, each board a database on a throwaway PostgreSQL server.
LEADBOARD_TEST_BACKEND=pg exec sh "$(dirname "$0")/cli_walk.sh"
