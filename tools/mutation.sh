#!/usr/bin/env bash
# Mutation testing of the modules whose numbers people show a clinician: adherence, treatment
# history, mood statistics. Needs the dev extra (pip install -e '.[test,dev]'); the configuration
# is [tool.mutmut] in pyproject.toml (which tests may kill each module's mutants).
#
#   tools/mutation.sh MODULE [MAX_CHILDREN]   MODULE: adherence | treatment_history | mood_stats
#   tools/mutation.sh summary                 the tally per module of the last runs
#
# Work copies and results live in mutants/ (git-ignored); a re-run only tries the mutants of
# functions that changed. Then `mutmut results` lists the survivors and `mutmut show NAME` the
# change each one made. Equivalent mutants are excluded in the source with
# "# pragma: no mutate" and a reason. MAX_CHILDREN defaults to 1: each mutant runs only the
# tests that reach its function, in a second or two, and the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/.."
mutmut=${MUTMUT:-.venv/bin/mutmut}

summary() {
  # percentages over the mutants tried ("not checked": outside the last runs' selection)
  "$mutmut" results --all true | awk '
    /: / {
      name = $1
      sub(/:$/, "", name)
      split(name, parts, ".")
      module = parts[3] "." parts[4]
      status = $0
      sub(/^[^:]*: /, "", status)
      count[module, status]++
      modules[module] = 1
      statuses[status] = 1
    }
    END {
      for (m in modules) {
        total = 0; line = ""
        for (s in statuses) if ((m, s) in count) {
          total += count[m, s]; line = line ", " s " " count[m, s]
        }
        tried = total - count[m, "not checked"]
        killed = count[m, "killed"] + count[m, "timeout"]
        printf "%s: %d mutants%s; killed (timeouts included) %d of %d tried", m, total, line, killed, tried
        if (tried) printf " = %.1f%%", 100 * killed / tried
        printf "\n"
      }
    }' | sort
}

case "${1:-}" in
  adherence) module=medications.adherence ;;
  treatment_history) module=medications.history ;;
  mood_stats) module=mood.stats ;;
  summary) summary; exit 0 ;;
  *)
    echo "usage: $0 adherence|treatment_history|mood_stats [MAX_CHILDREN] | summary" >&2
    exit 2
    ;;
esac
tools/with-keyring.sh "$mutmut" run --max-children "${2:-1}" "companion.core.$module.*"
summary
