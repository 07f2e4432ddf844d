#!/usr/bin/env bash
# gongwen-reports set-up and tasks.  Usage:
#   bash tasks.sh demo   # install everything, then write the sample documents into outputs/
#   bash tasks.sh test   # install everything (LibreOffice too), then run the tests
#   bash tasks.sh setup  # install only
# Needs Debian (apt-get, run as root or with sudo) and Python 3.11.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
# Fonts and the libraries weasyprint needs; fonts-noto-cjk (宋体/黑体/小标宋 substitutes),
# texlive-lang-chinese (FandolFang/FandolKai for 仿宋/楷体), fonts-liberation2 (Times New Roman),
# fonts-cwtex-fs and fonts-arphic-ukai (仿宋 and 楷体 faces for the traditional characters Fandol lacks).
SYSTEM_PACKAGES=(fontconfig fonts-noto-cjk texlive-lang-chinese fonts-liberation2 fonts-cwtex-fs fonts-arphic-ukai
                 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
# The tests print DOCX/XLSX through LibreOffice, draw PDFs with poppler (pdftoppm) too, and drive
# the web page in Debian's Chromium (Playwright's own browser download does not work offline).
TEST_PACKAGES=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils chromium)
LOCK=requirements.lock  # every Python package pinned, transitive ones too (pip-compile, see docs/development.md)

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "安装系统软件包：${missing[*]}"
  $sudo apt-get update -q
  # Through env: sudo drops the caller's environment.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

python_env() {
  if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "找不到 $PYTHON：请先安装 Python 3.11（apt-get install python3）" >&2
    exit 2
  fi
  # Debian's python3 answers "venv --help" without python3-venv; only ensurepip tells.
  if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    apt_install "python3-venv"
    [ -x "$VENV/bin/python" ] || rm -rf "$VENV"  # a venv made without pip is unusable
  fi
  if [ ! -x "$VENV/bin/python" ]; then "$PYTHON" -m venv "$VENV"; fi
  local stamp="$VENV/.installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$LOCK" -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -c "$LOCK" -e '.[test]'
    touch "$stamp"
  fi
}

case "${1:-demo}" in
  setup)
    apt_install "${SYSTEM_PACKAGES[@]}"
    python_env
    "$VENV/bin/python" make_reports.py fonts --cache
    ;;
  demo)
    apt_install "${SYSTEM_PACKAGES[@]}"
    python_env
    "$VENV/bin/python" make_reports.py fonts --cache   # checks the faces; pre-subsets them once (~30 s)
    "$VENV/bin/python" make_reports.py build
    "$VENV/bin/python" make_reports.py archive 2012 --fonds Z109 --fonds-name 连云港市妇幼保健集团   # PDF/A 归档包
    ;;
  test)
    apt_install "${SYSTEM_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    python_env
    "$VENV/bin/python" make_reports.py fonts --cache
    "$VENV/bin/ruff" check .
    "$VENV/bin/mypy"   # configured in pyproject.toml
    # A worker per core; each test file runs on one worker, so a module's shared build or
    # LibreOffice print is made once (loadgroup would be finer, but pytest-xdist 3.8's
    # groups do not take with pytest 9.2's node ids).
    "$VENV/bin/python" -m pytest -q -n "${TEST_WORKERS:-auto}" --dist loadfile
    ;;
  *)
    echo "用法：bash tasks.sh [demo|test|setup]" >&2
    exit 2
    ;;
esac
