# shellcheck shell=bash
# Shared set-up for scripts/start, scripts/test, scripts/check, scripts/build_forms.
# Sourced, not executed. After it returns:
#   - the current directory is the repository root ($CC_ROOT),
#   - $CC_ROOT/.venv exists and holds the project installed editable with
#     the extras in $CC_EXTRAS (default gui,test,dev,server),
#   - $CC_PY is the venv's python.
#
# The install is skipped when the stamp file .venv/.commandcenter-install.stamp
# holds the same key as now: sha256(pyproject.toml) + extras + venv python version.
# Editing pyproject.toml (or choosing other extras) therefore reinstalls on the next
# run; otherwise a second start is instant. Delete the stamp (or .venv) to force it.
#
# Environment knobs:
#   PYTHON       interpreter used to create .venv (default: python3; needs 3.10+)
#   CC_EXTRAS    extras to install (default: gui,test,dev,server)
#   PIP_INDEX_URL / PIP_* are honoured by pip itself.

CC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$CC_ROOT"

CC_VENV="$CC_ROOT/.venv"
CC_PY="$CC_VENV/bin/python"
CC_EXTRAS="${CC_EXTRAS:-gui,test,dev,server}"
CC_STAMP="$CC_VENV/.commandcenter-install.stamp"

_cc_say() { printf '[commandcenter] %s\n' "$*" >&2; }
_cc_die() { printf '[commandcenter] ERROR: %s\n' "$*" >&2; exit 1; }

_cc_create_venv() {
    local py="${PYTHON:-python3}"
    command -v "$py" >/dev/null 2>&1 \
        || _cc_die "'$py' not found. Install Python 3.10+ (Debian: apt-get install python3 python3-venv)."
    "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
        || _cc_die "$("$py" -V 2>&1) is too old; CommandCenter needs Python 3.10+ (set PYTHON=/path/to/python3.x)."
    # Debian/Ubuntu split venv's pip bootstrap (ensurepip) into python3-venv.
    if ! "$py" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        _cc_die "the Python venv module is missing for $py. On Debian/Ubuntu run:  apt-get install python3-venv  (as root), then re-run this script."
    fi
    _cc_say "creating virtualenv .venv with $("$py" -V 2>&1)"
    if ! "$py" -m venv "$CC_VENV"; then
        rm -rf "$CC_VENV"
        _cc_die "'$py -m venv .venv' failed. On Debian/Ubuntu run:  apt-get install python3-venv"
    fi
}

_cc_stamp_key() {
    local hash pyver
    if command -v sha256sum >/dev/null 2>&1; then
        hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    else
        hash="$("$CC_PY" -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest())')"
    fi
    pyver="$("$CC_PY" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
    printf 'pyproject=%s extras=%s python=%s\n' "$hash" "$CC_EXTRAS" "$pyver"
}

_cc_bootstrap() {
    # A .venv left half-made (e.g. interrupted creation) is recreated.
    if [[ -d "$CC_VENV" ]] && ! "$CC_PY" -c 'import sys' >/dev/null 2>&1; then
        _cc_say ".venv is broken (no working python); recreating it"
        rm -rf "$CC_VENV"
    fi
    [[ -x "$CC_PY" ]] || _cc_create_venv

    # Serialise concurrent runs (e.g. scripts/test and scripts/start started together).
    if command -v flock >/dev/null 2>&1; then
        exec {_cc_lock_fd}>"$CC_VENV/.commandcenter-install.lock"
        flock "$_cc_lock_fd"
    fi

    local key
    key="$(_cc_stamp_key)"
    if [[ ! -f "$CC_STAMP" ]] || [[ "$(cat "$CC_STAMP")" != "$key" ]]; then
        _cc_say "installing the project (editable) with extras [$CC_EXTRAS]${PIP_INDEX_URL:+ from $PIP_INDEX_URL}"
        if ! "$CC_PY" -m pip --version >/dev/null 2>&1; then
            "$CC_PY" -m ensurepip --upgrade >/dev/null \
                || _cc_die "pip is missing in .venv; delete .venv and retry (Debian: apt-get install python3-venv)"
        fi
        rm -f "$CC_STAMP"
        "$CC_PY" -m pip install --disable-pip-version-check -e ".[$CC_EXTRAS]" \
            || _cc_die "pip install -e '.[$CC_EXTRAS]' failed (see above)"
        printf '%s\n' "$key" >"$CC_STAMP"
        _cc_say "installed; stamp written to .venv/$(basename "$CC_STAMP")"
    fi

    if [[ -n "${_cc_lock_fd:-}" ]]; then
        exec {_cc_lock_fd}>&-
        unset _cc_lock_fd
    fi
}

_cc_bootstrap
