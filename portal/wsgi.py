import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from pagecache.copies import PageCopiesApplication
from portal.compression import CompressionApplication
from portal.middleware import UnreadableCharsetApplication

# Cached reader pages this worker has served are answered before Django; what
# is the same for every reader leaves gzipped when the client accepts it; a
# charset Django cannot build a request with is refused by Django's middleware.
application = CompressionApplication(
    PageCopiesApplication(UnreadableCharsetApplication(get_wsgi_application()))
)
