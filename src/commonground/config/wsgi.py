"""The WSGI application (gunicorn, `manage.py serve`).

Once Django and the shipped library are loaded, everything alive is moved out of the cyclic garbage
collector's sight (`gc.freeze`, as large Python web services do): otherwise each full collection
scans the library's hundreds of thousands of objects again, and a page that builds many objects (the
portfolio of 2,000 suppliers) spends 40 % of its CPU in the collector (docs/performance.md). What is
frozen is never freed by the collector — only objects that live as long as the process anyway."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings")
application = get_wsgi_application()


def _freeze() -> None:
    from commonground.core.library import cached_library

    cached_library()  # the shipped library, read and checked once per process (no database)
    gc.collect()
    gc.freeze()


_freeze()
