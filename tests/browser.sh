#!/bin/sh
# make test-browser: every example's dashboard rendered in headless
# Chromium; the DOM it built is checked for each section and key figure,
# and a screenshot of each is kept under build/screens/ to look at.
# Usage: browser.sh CHG
set -u
CHG=${1:?usage: browser.sh path/to/chg}
OUT=${BUILD:-build}/screens
mkdir -p "$OUT"
BROWSER=$(command -v chromium || command -v chromium-browser || true)
missing=
[ -n "$BROWSER" ] || missing=chromium
command -v pdftotext >/dev/null 2>&1 || missing="${missing:+$missing }poppler-utils" # the printed page, read back
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser: installing $missing"
    # shellcheck disable=SC2086 # one word per package
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } \
      >/tmp/chg-chromium.log 2>&1 || { tail -5 /tmp/chg-chromium.log; exit 1; }
    BROWSER=$(command -v chromium || command -v chromium-browser)
  else
    echo "browser: needs $missing: sudo apt-get install -y $missing"; exit 1
  fi
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome() {
  timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --hide-scrollbars "$@" 2>/dev/null
}
failed=0

# NAME DIR SECTIONS FIGURES...
page() {
  name=$1 dir=$2 sections=$3; shift 3
  "$CHG" report --format html -o "$OUT/$name.html" "$dir" 2>/dev/null
  st=$?
  if [ $st -gt 1 ] || [ ! -s "$OUT/$name.html" ]; then
    echo "browser: $name: no dashboard (exit $st)"; failed=1; return
  fi
  chrome --dump-dom "file://$PWD/$OUT/$name.html" >"$OUT/$name.dom.html"
  if [ ! -s "$OUT/$name.dom.html" ]; then echo "browser: $name: Chromium rendered nothing"; failed=1; return; fi
  python3 tests/browser_check.py "$OUT/$name.dom.html" "$sections" "$@" || failed=1
  chrome --window-size=1400,2000 --screenshot="$PWD/$OUT/$name.png" "file://$PWD/$OUT/$name.html" >/dev/null
  [ -s "$OUT/$name.png" ] || { echo "browser: $name: no screenshot"; failed=1; }
}

page mps_2011 examples/mps_2011 \
  summary,programmes,status,savings,savings-programmes,posts,posts-programmes,savings-totals,benefits,risks,milestones,dependencies,dependency-matrix,claims \
  "−£85.7m" "−£153.5m" "−£183.9m" "−1,009" "£92.8m" "£174.3m" "Developing Resource Management"
page ict_2014 examples/ict_2014 summary,programmes,milestones,benefits,risks "Total Technology Programme"
page transformation_2019 examples/transformation_2019 summary,programmes,milestones,risks,benefits "CONNECT"
page transformation_2022 examples/transformation_2022 \
  summary,programmes,milestones,flags,dependencies,heatmap,benefits,claims \
  "Amber/Red" "25,876" "training_load.lua"
page gmpp examples/gmpp summary,programmes,confidence,benefits,flags,claims "244" "Government Major Projects Portfolio, 2023"
page calam_2022 examples/calam_2022 summary,recommendations,recommendation-themes,recommendation-list,claims "93.75%" "Chief of Corporate Services"
page calam_over_95 tests/claims/calam_over_95.chg claims "FALSE" "93.75% (30 of 32), not over 95%"

# page_width PAGE WIDTH: "W of W" when PAGE (under $OUT), shown in a frame
# WIDTH pixels wide, does not scroll sideways; the page is measured in a
# frame, since Chromium's window is never narrower than 500
page_width() {
  cat >"$OUT/$1.$2.html" <<EOF
<!DOCTYPE html><html lang="en-GB"><title>narrow</title><body><iframe id="f" width="$2" height="800" src="$1.html"></iframe>
<script>document.getElementById('f').onload = function () { var d = this.contentDocument.documentElement;
document.body.setAttribute('data-width', d.scrollWidth + ' of ' + d.clientWidth); };</script></body></html>
EOF
  chrome --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom \
    "file://$PWD/$OUT/$1.$2.html" | sed -n 's/.*data-width="\([0-9]* of [0-9]*\)".*/\1/p'
}

# on a phone (400 pixels wide) the page never scrolls sideways: a wide
# table or chart scrolls in its own box
for name in mps_2011 gmpp transformation_2022; do
  width=$(page_width "$name" 400)
  [ "$width" = "400 of 400" ] ||
    { echo "browser: $name at 400 pixels is ${width:-not measured} wide"; failed=1; }
done

# on a desktop (1400 pixels) a table of several columns of prose (the
# benefits' measures, the risks' mitigations) wraps them at a reading
# width and fits, where the measures were off the screen, behind a scroll
table_width() { # PAGE TABLE WIDTH: "W of W", the table's box in a frame
  cat >"$OUT/$1.$2.$3.html" <<EOF
<!DOCTYPE html><html lang="en-GB"><title>table</title><body><iframe id="f" width="$3" height="800" src="$1.html"></iframe>
<script>document.getElementById('f').onload = function () { var t = this.contentDocument.getElementById('table-$2').parentNode;
document.body.setAttribute('data-width', t.scrollWidth + ' of ' + t.clientWidth); };</script></body></html>
EOF
  chrome --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom \
    "file://$PWD/$OUT/$1.$2.$3.html" | sed -n 's/.*data-width="\([0-9]* of [0-9]*\)".*/\1/p'
}
for table in benefits risks; do
  width=$(table_width transformation_2022 "$table" 1400)
  case $width in
    "") echo "browser: the $table table of transformation_2022 was not measured"; failed=1 ;;
    *) set -- $width; [ "$1" -le "$3" ] ||
         { echo "browser: the $table table of transformation_2022 is $1 pixels in a box of $3"; failed=1; } ;;
  esac
done

# one long word, in the title and in a table, breaks where it must: the
# page still never scrolls sideways, on a phone or a desktop
long_dir=$(mktemp -d)
word=$(awk 'BEGIN { for (i = 0; i < 12; i++) printf "Supercalifragilisticexpialidocious_" }')
printf 'use std.rag\nportfolio p "%s" { as_of 2022-06-30 }\nprogramme a "%s" { status overall red "x" }\n' \
  "$word" "$word" >"$long_dir/p.chg"
"$CHG" report --format html -o "$OUT/longword.html" "$long_dir/p.chg" 2>/dev/null
for w in 400 1400; do
  width=$(page_width longword "$w")
  [ "$width" = "$w of $w" ] ||
    { echo "browser: a long word at $w pixels makes the page ${width:-not measured} wide"; failed=1; }
done
rm -rf "$long_dir"

# printed, a heatmap of three years is whole on A4: its months stand on
# end, so the last month's overload is on paper
heat_dir=$(mktemp -d)
printf 'portfolio p "P" { as_of 2022-07-04; capacity 3 }\nunit BCU "B"\nunit LD "L"\nprogramme c "C" {\n  impact { unit BCU; level 1; period 2022-01..2024-12 }\n  impact { unit LD; level 4; period 2024-12 }\n}\n' >"$heat_dir/p.chg"
"$CHG" report --format html -o "$OUT/heat36.html" "$heat_dir/p.chg" 2>/dev/null
chrome --print-to-pdf="$PWD/$OUT/heat36.pdf" "file://$PWD/$OUT/heat36.html" >/dev/null
months=$(pdftotext "$OUT/heat36.pdf" - 2>/dev/null | grep -c '^202[234]-[01][0-9]$')
overload=$(pdftotext "$OUT/heat36.pdf" - 2>/dev/null | grep -c '^4 *!$')
[ "$months" -ge 36 ] && [ "$overload" -ge 1 ] ||
  { echo "browser: printed: $months of 36 months of the heatmap, $overload overload, on paper"; failed=1; }
rm -rf "$heat_dir"

# a title with markup shows as text
esc_dir=$(mktemp -d)
printf 'use std.rag\nportfolio p "<script>alert(1)</script> & co" { as_of 2022-06-30 }\nprogramme a "<b>bold</b>" { status overall red "<img src=x onerror=alert(2)>" }\n' >"$esc_dir/p.chg"
page escaping "$esc_dir/p.chg" summary,status "<script>alert(1)</script> & co" "<img src=x onerror=alert(2)>"
grep -q "<script>alert" "$OUT/escaping.dom.html" && { echo "browser: a title's <script> reached the page"; failed=1; }
rm -rf "$esc_dir"

# scale: 5,000 programmes stay usable: written fast, rendered fast (the
# time to start Chromium, measured on an empty page, is taken off)
printf '<!DOCTYPE html><html lang="en-GB"><title>x</title></html>' >"$OUT/empty.html"
start=$(date +%s%N)
chrome --dump-dom "file://$PWD/$OUT/empty.html" >/dev/null
startup=$(( ($(date +%s%N) - start) / 1000000 ))
lua5.4 bench/gen.lua 5000 "$OUT/scale" 1
start=$(date +%s%N)
"$CHG" report --format html -o "$OUT/scale.html" "$OUT/scale.chg" 2>/dev/null
made=$(( ($(date +%s%N) - start) / 1000000 ))
start=$(date +%s%N)
chrome --dump-dom "file://$PWD/$OUT/scale.html" >"$OUT/scale.dom.html"
drawn=$(( ($(date +%s%N) - start) / 1000000 - startup ))
python3 tests/browser_check.py "$OUT/scale.dom.html" summary,programmes,heatmap "The first 1,000 of" || failed=1
echo "browser: 5,000 programmes: written in ${made} ms, $(($(wc -c <"$OUT/scale.html") / 1024)) KB, loaded by Chromium in ${drawn} ms beyond its ${startup} ms start"
[ "$made" -lt 5000 ] || { echo "browser: the 5,000-programme dashboard took ${made} ms to write"; failed=1; }

# printed: a section of more than 100 rows starts folded on screen, and
# prints whole, without the note that says to open it
print_dir=$(mktemp -d)
{ printf 'use std.rag\nuse std.risk5x5\nportfolio p "P" { as_of 2022-07-04 }\n'
  printf 'programme alpha "Alpha" {\n  status overall green "On track"\n'
  i=1
  while [ $i -le 120 ]; do
    printf '  risk r%d "Printed risk %d" { likelihood 2; impact 3; owner "SRO" }\n' $i $i
    i=$((i + 1))
  done
  printf '}\n'; } >"$print_dir/p.chg"
"$CHG" report --format html -o "$OUT/printed.html" "$print_dir/p.chg" 2>/dev/null
grep -q '<details id="section-risks"' "$OUT/printed.html" ||
  { echo "browser: printed: the risks section of 120 rows did not start folded"; failed=1; }
chrome --print-to-pdf="$PWD/$OUT/printed.pdf" "file://$PWD/$OUT/printed.html" >/dev/null
printed=$(pdftotext "$OUT/printed.pdf" - 2>/dev/null | grep -c 'Printed risk')
[ "$printed" = 120 ] || { echo "browser: printed: $printed of 120 folded risks on paper"; failed=1; }
pdftotext "$OUT/printed.pdf" - 2>/dev/null | grep -q 'open to read' &&
  { echo "browser: printed: the note to open a folded section is on paper"; failed=1; }
rm -rf "$print_dir"

[ $failed = 0 ] && echo "browser: every dashboard rendered in Chromium with its sections and figures; screenshots in $OUT"
exit $failed
