# GS1's reference EPCIS event hash generator (PyPI epcis-event-hash-generator, with PyLD), in
# a virtualenv of its own: it brings lxml, which changes how openpyxl writes, so it stays out
# of the project's. The tests cross-check our CBV 2.0 event IDs with it (EPCIS_HASH_PYTHON).
# Sourced by .ci/run (bash, set -euo pipefail, cwd = repo root).
EPCIS_HASH_VENV="$CI_CACHE/epcis-hash-venv"
if [ ! -x "$EPCIS_HASH_VENV/bin/python" ] || ! "$EPCIS_HASH_VENV/bin/python" -c "import epcis_event_hash_generator, pyld" 2>/dev/null; then
  echo "installing epcis-event-hash-generator into $EPCIS_HASH_VENV"
  python3 -m venv "$EPCIS_HASH_VENV"
  "$EPCIS_HASH_VENV/bin/pip" install --quiet "epcis-event-hash-generator==1.9.3" "PyLD==3.3.0"
fi
export EPCIS_HASH_PYTHON="$EPCIS_HASH_VENV/bin/python"
