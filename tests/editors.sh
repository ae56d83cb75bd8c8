#!/bin/sh
# Editor support: the VS Code grammar and configuration, and the Vim syntax
# (loaded in vim when it is installed; skipped with a note otherwise).
# See tests/editors.py.   sh tests/editors.sh
cd "$(dirname "$0")/.." || exit 2
exec python3 tests/editors.py --vim
