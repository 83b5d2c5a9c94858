#!/usr/bin/env bash
# End-to-end test of the brief (tuopin report): a small comparison (tests/data/small.toml and a
# variant with two measures on), the brief in Chinese and English, the command's errors, then
# each brief rendered by headless Chromium (Debian package chromium): a screenshot that is not
# blank and shows the charts' colours, no message on the page's console (a Content-Security-
# Policy in the page turns any attempt to load a resource into one), and a PDF printed on A4.
# The console and blank checks are first shown to fail on pages made to fail them.
# Without Chromium the browser part is skipped (exit 77, ctest SKIP_RETURN_CODE) after the rest
# has passed; scripts/install-deps installs it.
# Usage: check_brief.sh TUOPIN TESTS_DIR WORK_DIR
set -u
checks="$(cd "$(dirname "$0")/.." && pwd)/checks.sh"
tuopin=$(realpath "$1")
tests=$(realpath "$2")
work=$(realpath -m "$3")
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cp "$tests"/data/small.toml .
cat > small-plan.toml <<'EOF'
inherits = "small.toml"
description = "The small population with the safety net & health <measures> on."

[measures.safety_net]
enabled = true

[measures.health]
enabled = true
EOF

source "$checks"
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] || exit 1
}

# The results: one comparison file, and the same two scenarios as separate files.
expect_rc "run a comparison" 0 "$tuopin" run small.toml small-plan.toml -o cmp.h5 --replicates 3
expect_rc "run the baseline alone" 0 "$tuopin" run small.toml -o small.h5 --replicates 3
expect_rc "run the variant alone" 0 "$tuopin" run small-plan.toml -o small-plan.h5 --replicates 3

# The command.
expect_rc "report --help" 0 "$tuopin" report --help
expect_in "report --help shows usage" out.txt "Usage: tuopin report FILE.h5"
expect_in "report --help has examples" out.txt "--lang en"
expect_rc "tuopin --help lists report" 0 "$tuopin" --help
expect_in "help lists report" out.txt "report FILE ..."
expect_rc "brief in Chinese" 0 "$tuopin" report cmp.h5 -o zh.html
expect_in "brief in Chinese says where" out.txt "Wrote zh.html (zh, 2 scenarios, baseline 'small')"
expect_in "Chinese page" zh.html '<html lang="zh-CN">'
expect_in "Chinese title" zh.html "脱贫攻坚规划模拟简报"
expect_in "description escaped" zh.html "safety net &amp; health &lt;measures&gt; on"
expect_rc "brief in English" 0 "$tuopin" report cmp.h5 -o en.html --lang en
expect_in "English page" en.html '<html lang="en">'
expect_in "English title" en.html "Poverty-exit plan simulation: brief"
expect_in "parameters that differ" en.html "measures.health.enabled"
expect_rc "another baseline" 0 "$tuopin" report cmp.h5 -o other.html --baseline small-plan
expect_in "another baseline named" out.txt "baseline 'small-plan'"
expect_rc "separate result files" 0 "$tuopin" report small.h5 small-plan.h5 -o files.html --lang en
expect_in "separate files both read" files.html "small-plan.h5"
expect_rc "one scenario" 0 "$tuopin" report small.h5 -o one.html
expect_rc "default output name" 0 "$tuopin" report cmp.h5
[ -s cmp-brief.html ] && pass "default output cmp-brief.html" || fail "cmp-brief.html missing"

# Bad input: exit code 2, a clear message, nothing written or replaced.
before=$(md5sum zh.html)
expect_rc "existing output without --force" 2 "$tuopin" report cmp.h5 -o zh.html --lang en
expect_in "existing output message" err.txt "zh.html: already exists; use --force"
[ "$before" = "$(md5sum zh.html)" ] && pass "existing output untouched" || fail "existing output changed"
expect_rc "existing output with --force" 0 "$tuopin" report cmp.h5 -o zh.html --force
expect_rc "unknown language" 2 "$tuopin" report cmp.h5 -o fr.html --lang fr
expect_in "unknown language message" err.txt "--lang: 'fr' is not a language of the brief; use zh"
expect_rc "missing file" 2 "$tuopin" report nosuch.h5 -o x.html
expect_in "missing file message" err.txt "nosuch.h5: no such file"
expect_rc "not a result file" 2 "$tuopin" report small.toml -o x.html
expect_in "not a result file message" err.txt "not an HDF5 file"
expect_rc "unknown baseline" 2 "$tuopin" report cmp.h5 -o x.html --baseline small-plam
expect_in "unknown baseline message" err.txt "no scenario 'small-plam'"
expect_in "unknown baseline suggests" err.txt "did you mean 'small-plan'?"
expect_rc "no file" 2 "$tuopin" report -o x.html
expect_rc "empty output path" 2 "$tuopin" report cmp.h5 -o ""
expect_in "empty output path message" err.txt "the output path is empty"
[ -e x.html ] || [ -e fr.html ] && fail "bad input wrote a file" || pass "bad input wrote no file"
if ls -A | grep -q '\.tmp-'; then fail "temporary file left behind"; else pass "no temporary file"; fi

# The browser.
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  finish
  echo "SKIPPED: the Chromium part: no chromium on PATH (Debian package chromium; scripts/install-deps installs it)"
  exit 77
fi
echo "browser: $("$chromium" --version 2>/dev/null)"
if command -v fc-match >/dev/null; then
  font=$(fc-match "Noto Sans CJK SC")
  case "$font" in *CJK*) pass "CJK font for the page: $font" ;; *) fail "no Noto Sans CJK font ($font): Chinese would print as boxes" ;; esac
fi
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --hide-scrollbars
       --no-first-run --user-data-dir="$work/chromium-profile" --enable-logging=stderr --v=0)
# render NAME.html: NAME.png (an A4 page at 150 dpi), NAME.pdf, and NAME.console (console lines).
render() {
  local name=$1
  timeout 120 "$chromium" "${flags[@]}" --screenshot="$work/$name.png" --window-size=1240,1754 \
    "file://$work/$name.html" >"$name.shot.log" 2>&1
  local rc_shot=$?
  timeout 120 "$chromium" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$work/$name.pdf" \
    "file://$work/$name.html" >"$name.pdf.log" 2>&1
  local rc_pdf=$?
  grep -hE 'CONSOLE|Uncaught' "$name.shot.log" "$name.pdf.log" >"$name.console"
  if [ "$rc_shot" -ne 0 ] || [ "$rc_pdf" -ne 0 ] || [ ! -s "$name.png" ] || [ ! -s "$name.pdf" ]; then
    fail "chromium rendering $name.html (exit $rc_shot, $rc_pdf)"
    tail -n 20 "$name.shot.log" "$name.pdf.log"
    return 1
  fi
  pass "chromium rendered $name.html to PNG and PDF"
}

# The checks fail on pages made to fail them: a script error, a console error and a resource
# the policy blocks; a blank page.
cat > control.html <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>control</title></head><body><p>control</p><img src="https://example.invalid/x.png" alt="">
</body></html>
EOF
cat > control-script.html <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title></head><body><p>control</p>
<script>console.error("deliberate console error"); throw new Error("deliberate");</script></body></html>
EOF
printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n' > blank.html
for page in control control-script; do
  if render "$page"; then
    [ -s "$page.console" ] && pass "console check catches $page.html" || fail "console check missed the errors of $page.html"
  fi
done
if render blank; then
  if /usr/bin/python3 "$tests"/outputs/check_brief.py png blank.png --blank; then pass "blank check: blank page"; else fail "blank check: blank page"; fi
  /usr/bin/python3 "$tests"/outputs/check_brief.py png blank.png >blank.check 2>&1
  if grep -q "blank.png: blank (" blank.check; then pass "blank check fails a blank page"; else fail "blank check passed a blank page"; cat blank.check; fi
fi

# The briefs: no console message, a page with content and the charts' two scenario colours,
# A4 pages.
for page in zh en files; do
  render "$page" || continue
  if [ -s "$page.console" ]; then fail "$page.html: console messages"; cat "$page.console"; else pass "$page.html: no console message"; fi
  if /usr/bin/python3 "$tests"/outputs/check_brief.py png "$page.png" --colour 1f4e89 --colour e08b2a; then
    pass "$page.png not blank, charts drawn"
  else
    fail "$page.png"
  fi
  if /usr/bin/python3 "$tests"/outputs/check_brief.py pdf "$page.pdf"; then pass "$page.pdf on A4"; else fail "$page.pdf"; fi
done
finish
