#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
    from commonground.config.commands import main

    sys.exit(main(sys.argv))
