import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thb.settings")
application = get_wsgi_application()

# The web process's import runner (THB_IMPORT_RUNNER=thread, the default): it picks up
# jobs still waiting from before a restart and marks those a stopped process left.
from thb.interop.runner import start_thread  # noqa: E402

start_thread()

# Load what every request needs and keep the collector off it (thb.core.startup).
from thb.core.startup import settle  # noqa: E402

settle()
