#!/bin/sh
# leadboard plan: the worked example (revenue 100000, deal size 10000, 2%
# and 2% -> 10 customers, 500 leads, 25000 visitors), rates as fractions or
# percentages, measured rates when none are given, and bad input.
. "$(dirname "$0")/lib.sh"

new_board plan

run "$LB" plan --revenue 100000 --deal-size 10000 --lead-to-customer 2% --visitor-to-lead 2%
expect_eq "the worked example: exit 0" "$RC" 0
expect_match "10 customers" "$OUT" 'revenue 100000 / deal size 10000 = 10 customers'
expect_match "500 leads, the rate marked as given" "$OUT" \
	'10 customers / lead-to-customer 2% \(given\) = 500 leads'
expect_match "25000 visitors" "$OUT" '500 leads / visitor-to-lead 2% \(given\) = 25000 visitors'

run "$LB" plan --revenue 100000 --deal-size 10000 --lead-to-customer 0.02 --visitor-to-lead .02 \
	--format json
expect_eq "fractions are the same rates" \
	"$(printf '%s' "$OUT" | jq -c '[.customers, .leads, .visitors, .lead_to_customer.source]')" \
	'[10,500,25000,"given"]'
expect_eq "rounding up: 1 customer at 3% needs 34 leads" \
	"$("$LB" plan --revenue 1 --deal-size 1 --lead-to-customer 3% --visitor-to-lead 100% --format json | jq -c '[.customers, .leads, .visitors]')" \
	"[1,34,34]"
expect_eq "a part deal still needs a whole customer" \
	"$("$LB" plan --revenue 100001 --deal-size 10000 --lead-to-customer 2.5% --visitor-to-lead 1 --format json | jq -c '[.customers, .leads]')" \
	"[11,440]"

# No history yet: measured rates are unknown and the output says so.
run "$LB" plan --revenue 100000 --deal-size 10000 --visitor-to-lead 2%
expect_eq "no history, no lead rate: still exit 0" "$RC" 0
expect_match "leads unknown, and why" "$OUT" 'leads: unknown \(give --lead-to-customer R'
expect_match "visitors depend on leads" "$OUT" 'visitors: unknown'

# A history: 4 leads, 2 reach MQL, 2 SQL (handoffs), 1 opportunity, 1 customer.
for n in 1 2 3 4; do
	eval "L$n=\$(as maya add --name \"Lead $n\" --email l$n@x.example --company Acme)"
done
for id in "$L1" "$L2"; do
	as maya move "$id" mql >/dev/null
	as maya move "$id" sql >/dev/null
done
as sam claim "$L1" >/dev/null
as sam move "$L1" opportunity >/dev/null
as sam move "$L1" customer >/dev/null

run "$LB" plan --revenue 50000 --deal-size 10000 --format json
expect_eq "measured: 5 customers" "$(printf '%s' "$OUT" | jq .customers)" 5
expect_eq "stage by stage from the measured rates, customer back to lead" \
	"$(printf '%s' "$OUT" | jq -c '[.stages[] | [.key, .needed]]')" \
	'[["customer",5],["opportunity",5],["sql",10],["mql",10],["lead",20]]'
expect_eq "the measured rates and what they come from" \
	"$(printf '%s' "$OUT" | jq -c '.stages[] | select(.key == "sql") | [.rate_to_next, .entered, .reached_next]')" \
	"[0.5,2,1]"
expect_eq "lead-to-customer measured when not given" \
	"$(printf '%s' "$OUT" | jq -c '[.leads, .lead_to_customer.source, .visitors]')" '[20,"measured",null]'
run "$LB" plan --revenue 50000 --deal-size 10000
expect_match "the table says measured" "$OUT" '5 customers / lead-to-customer 25% \(measured\) = 20 leads'
expect_match "and shows each measured rate" "$OUT" 'SQL +10 needed +to Opportunity: 50% \(1 of 2\)'
expect_match "SQLs and MQLs needed" "$OUT" 'MQL +10 needed'
run "$LB" plan --revenue 50000 --deal-size 10000 --lead-to-customer 10% --visitor-to-lead 5%
expect_match "a given rate wins over the measured one" "$OUT" '= 50 leads'
expect_match "visitors from the given rate" "$OUT" '= 1000 visitors'

expect_code 64 "--revenue is required" "$LB" plan --deal-size 10
expect_code 64 "--deal-size is required" "$LB" plan --revenue 10
expect_code 64 "a zero deal size" "$LB" plan --revenue 10 --deal-size 0
expect_code 64 "a rate above 100%" "$LB" plan --revenue 10 --deal-size 1 --lead-to-customer 120%
expect_code 64 "a zero rate" "$LB" plan --revenue 10 --deal-size 1 --lead-to-customer 0
expect_code 64 "a rate that is not a number" "$LB" plan --revenue 10 --deal-size 1 --visitor-to-lead two
expect_code 64 "a negative revenue" "$LB" plan --revenue -5 --deal-size 1
# Both rates given: no board needed.
expect_code 0 "with both rates, no database is needed" \
	env LEADBOARD_DB="$T_DIR/none.db" "$LB" plan --revenue 100000 --deal-size 10000 \
	--lead-to-customer 2% --visitor-to-lead 2%
expect_match "and it still prints the example" "$OUT" '25000 visitors'

done_testing
