#!/bin/sh
# concurrency_load.sh again, the board a database on a throwaway PostgreSQL
# server. 8 writers of 40 moves each instead of 150 (20 instead of 40 in
# make test): every move there is a process and a server connection, and the
# writers still overlap all along.
LEADBOARD_TEST_BACKEND=pg exec sh "$(dirname "$0")/concurrency_load.sh"
