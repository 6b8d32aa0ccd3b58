#!/bin/sh
# term_sizes.sh -- dnsdeck started in a 20x6 and in a 300x80 terminal (not resized into it:
# the first layout is made at that size) shows the lookup view, the MX view ('m') and the
# comparison view ('l', then 'p'), each a layout of exactly that many rows, no line wider than
# the terminal (display columns), the view's title on top and its status line at the bottom,
# and no raw control byte; at 300 columns the long lines are not wrapped and the key hints
# reach the right edge. 'q' quits with status 0 at both sizes.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/term.inc"
need_lab

# --- 20x6 ---------------------------------------------------------------------------------
start_dnsdeck 20 6 @127.0.53.53 example.test MX
layout 20 6 '^ server 127\.0\.53\.5' '^ example\.test\. MX @1'
shows "20x6 lookup view" '^ example\.test\.'
keys m
layout 20 6 '^ MX failover' '^ mx example\.test\. '
shows "20x6 MX view" '^▶DELIVERY PLAN'
keys l
layout 20 6 '^ server 127\.0\.53\.5' '^ example\.test\. MX @1'
keys p
layout 20 6 '^ Propagation ' '^ compare example\.tes'
shows "20x6 comparison" '127\.0\.53\.53'
keys q
expect '^dnsdeck-exited rc=0$' "q did not quit at 20x6"

# --- 300x80 -------------------------------------------------------------------------------
start_dnsdeck 300 80 @127.0.53.53 example.test MX
layout 300 80 '^ HEADER' '^ example\.test\. MX @127\.0\.53\.53  NOERROR .{200,}Tab pane$'
# The flags share the header line; the rows are whole.
shows "300x80 lookup view" \
	'^ header +opcode QUERY  rcode NOERROR  id [0-9]+  flags qr:1 aa:0 tc:0 rd:1 ra:1' \
	'^ example\.test\. +[0-9]+ +[0-9a-z]+ +IN +MX +10 mx1\.example\.test\.$'
keys m
layout 300 80 '^ MX failover plan for example\.test\.  mode: mx' \
	'^ mx example\.test\.  done: .{200,}r again$'
# Each finding on one line, its RFC at the end.
shows "300x80 MX view" \
	'^   warning  mx-differs +the authoritative servers of example\.test\. disagree on its MX RRset: .* \(RFC 1034 §4\.3\.5\)$' \
	'^   DMARC +_dmarc\.example\.test\. +"v=DMARC1; p=reject; rua=mailto:dmarc@example\.test"$'
keys l
layout 300 80 '^ HEADER' '^ example\.test\. MX @127\.0\.53\.53  NOERROR '
keys p
layout 300 80 '^ Propagation of example\.test\. MX  4 servers' \
	'^ compare example\.test\. MX  done: 1 outlier, 3 behind .{150,}Tab next differing$'
# Wide enough for every answer to stay on its row (the cursor is on the resolver's row).
MX12='10 mx1\.example\.test\., 20 mx2\.example\.test\.$'
shows "300x80 comparison" \
	"^     ns1\\.example\\.test\\. +127\\.0\\.53\\.1#53 +answer +aa -- .* 2026112101 behind +3600 +1\\* +$MX12" \
	"^     ns3\\.example\\.test\\. +127\\.0\\.53\\.3#53 +answer +aa -- .* 2026112101 behind +3600 +1\\* +$MX12" \
	'^   ! ns2\.example\.test\. +127\.0\.53\.2#53 +answer .* 2026112102 newest +3600 +2 +10 mx1\.example\.test\., 30 mx3\.example\.test\.$'
keys q
expect '^dnsdeck-exited rc=0$' "q did not quit at 300x80"
exit 0
