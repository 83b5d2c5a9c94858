# Shared by the end-to-end test scripts (source it): counted checks with plain "ok:" and
# "FAILED:" lines. The calling script prints "$passed passed, $failed failed" and fails if any did.
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAILED: $1"; }
expect_rc() {  # expect_rc NAME EXPECTED COMMAND...: the exit code; stdout in out.txt, stderr in err.txt
  local name=$1 want=$2
  shift 2
  "$@" >out.txt 2>err.txt
  local rc=$?
  if [ "$rc" -eq "$want" ]; then pass "$name (exit $rc)"; else fail "$name: exit $rc, expected $want"; head -c 4000 out.txt; head -c 4000 err.txt; fi
}
expect_in() {  # expect_in NAME FILE TEXT: FILE holds TEXT
  if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: '$3' not in $2"; head -c 4000 "$2"; fi
}
