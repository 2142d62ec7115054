#!/bin/sh
# cli_agreement.sh again, each board a database on a throwaway PostgreSQL server.
LEADBOARD_TEST_BACKEND=pg exec sh "$(dirname "$0")/cli_agreement.sh"
