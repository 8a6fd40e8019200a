from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content and benchmark data (``seed_demo``, ``seed_bench``).

    Installed for development, the tests and the benchmark (``DEMO``, on with
    ``DEBUG``); a production site runs without it.
    """

    name = "demo"
    verbose_name = "Dữ liệu mẫu"
