# JaminanKu: `make run` serves a demo on http://127.0.0.1:8000, `make test` runs every check and test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
DEMO_PERSONS ?= 1000

.PHONY: run test test-sqlite test-postgres test-replicas lint messages system-deps clean bench bench-quick try-patroni

$(VENV)/.runtime: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

system-deps:
	@scripts/system-deps

messages:
	$(BIN)/python manage.py compilemessages --ignore ".venv" -v0

run: $(VENV)/.runtime
	@scripts/system-deps --runtime
	$(MAKE) --no-print-directory messages
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v0
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py prepare_demo --persons $(DEMO_PERSONS)
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# axe-core, which the browser tests load into pages to check accessibility (pinned in package-lock.json)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

lint: $(VENV)/.dev
	$(BIN)/ruff check jaminanku $(wildcard bench)
	$(BIN)/ruff format --check jaminanku $(wildcard bench)
	$(BIN)/mypy jaminanku
	$(BIN)/lint-imports

test-sqlite: $(VENV)/.dev
	@echo "== tests on SQLite"
	$(BIN)/pytest -q -m "not postgres_only"

test-postgres: $(VENV)/.dev
	@echo "== tests on PostgreSQL"
	scripts/with-postgres $(BIN)/pytest -q -m "not replicas"

# the read-replica and failover tests: a primary and a synchronous hot standby of their own (about a minute)
test-replicas: $(VENV)/.dev
	scripts/with-postgres-replicas $(BIN)/pytest -q -m replicas jaminanku/core/tests

# The SQLite and PostgreSQL suites run side by side: each is one Python process that leaves most of the second
# core idle (6.2 and 8.3 min one after the other on this project's 2-core machine). Each suite's output is shown
# when it ends.
test: $(VENV)/.dev system-deps node_modules/.installed messages lint
	@echo "== tests on SQLite and on PostgreSQL, side by side"
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	@echo "== read replica and failover on a primary and a standby"
	$(MAKE) --no-print-directory test-replicas

# make test-slow: the whole suite on both databases with a bigger API fuzzing (FUZZ_EXAMPLES cases per operation)
FUZZ_EXAMPLES ?= 200
.PHONY: test-slow
test-slow: $(VENV)/.dev system-deps node_modules/.installed messages
	JAMINANKU_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -m "not postgres_only"
	JAMINANKU_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) scripts/with-postgres $(BIN)/pytest -q -m "not replicas"

$(VENV)/.bench: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	touch $@

BENCH_PERSONS ?= 1000000
# shared buffers large enough to keep the member-keyed indexes of 1,000,000 persons (about 6 GB) cached on this
# 24 GiB machine: with 4 GB a month's posting read them from disk and took 99.5-111 s, with 10 GB 62-64 s
BENCH_PG_OPTIONS ?= -c shared_buffers=10GB -c max_wal_size=4GB
# make bench: every benchmark on a throwaway PostgreSQL seeded with BENCH_PERSONS demo persons (see bench/README.md)
bench: $(VENV)/.bench system-deps messages
	@scripts/system-deps --bench
	JAMINANKU_PG_OPTIONS="$(BENCH_PG_OPTIONS)" scripts/with-postgres scripts/bench $(BENCH_PERSONS)

# make bench-quick: the same on a small population with small sizes, a smoke run that CI can afford
bench-quick: $(VENV)/.bench system-deps messages
	@scripts/system-deps --bench
	scripts/with-postgres scripts/bench 3000 --quick

# make try-patroni: Patroni's failover with the settings of docs/deployment.md, on two local nodes and one etcd
# (about a minute; not part of `make test`)
try-patroni:
	@scripts/system-deps --patroni
	scripts/try-patroni

clean:
	rm -rf $(VENV) var
