#!/usr/bin/env bash
# Install the Debian packages yusuan's full feature set and tests need, when they are missing:
#   poppler-utils            pdftotext / pdftoppm (tests read generated PDFs back)
#   poppler-data             the CMaps poppler needs for Chinese CID fonts (without it pdftotext and
#                            pdffonts lose the text of PDFs whose Chinese font is not embedded)
#   fonts-arphic-gbsn00lp    AR PL SungtiL GB, a TrueType 宋体 embedded in generated PDFs
#                            (Arphic Public License: redistribution allowed)
#   libreoffice-calc-nogui   tests convert generated workbooks to prove they open cleanly
#   libreoffice-writer-nogui the same for the generated Word document
#   chromium                 browser tests of the generated web site
set -euo pipefail
packages=(poppler-utils poppler-data fonts-arphic-gbsn00lp libreoffice-calc-nogui libreoffice-writer-nogui chromium)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "warning: missing system packages (install them as root): ${missing[*]}" >&2
fi
