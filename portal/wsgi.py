import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from pagecache.copies import PageCopiesApplication
from portal.compression import CompressionApplication

# Cached reader pages this worker has served are answered before Django; what
# is the same for every reader leaves gzipped when the client accepts it.
application = CompressionApplication(PageCopiesApplication(get_wsgi_application()))
