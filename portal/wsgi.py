import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from portal.pagecopies import PageCopiesApplication

# Cached reader pages this worker has served are answered before Django.
application = PageCopiesApplication(get_wsgi_application())
