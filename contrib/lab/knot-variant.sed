# knot-variant.sed - turn example.test.zone (the "old" copy served by NSD and
# BIND) into Knot's deliberately newer copy:
#   sed -f knot-variant.sed example.test.zone > example.test.knot.zone
# Only lines carrying LAB markers change (see the top of example.test.zone):
#   serial 2026112101 -> 2026112102
#   apex "MX 20 mx2" removed, "MX 30 mx3" and mx3 A/AAAA added
/LAB:serial$/s/2026112101/2026112102/
/; LAB:old-only$/d
s/^;LAB:knot-only //
