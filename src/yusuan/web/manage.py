"""Django's command line for the web application: ``python -m yusuan.web.manage COMMAND``."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yusuan.web.settings")
    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
