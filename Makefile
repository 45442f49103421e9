# stint — the two commands a newcomer needs are `make run` and `make test`.
# The commit stint --version names; -modified when the tree differs from it.
COMMIT := $(shell c=$$(git rev-parse --short=12 HEAD 2>/dev/null) && { git diff --quiet HEAD 2>/dev/null && echo $$c || echo $$c-modified; } || echo unknown)
MVN ?= mvn -B -Dstint.commit=$(COMMIT)
JAR := target/stint.jar
HELPER := target/stint-cached
# The development build (src/dev: the demo and the stand-ins) is packaged beside the server's jar,
# as target/stint-dev.jar, by the same Maven run; only `bin/stint demo` runs it.
SOURCES := pom.xml $(shell find src/main src/dev -type f 2>/dev/null)

.PHONY: bench bench-classpath bench-cli bench-outside bench-revoke bench-scale bench-server bench-steady build check clean demo dist dist-check errorprone fast-tests help lint mutation run screenshots soak style test

help:
	@echo "make run    build if needed, then start stint on 127.0.0.1:8080. With no identity provider configured"
	@echo "            (no CONFIG, no STINT_POLICIES, ./policies naming only its placeholder IdP): DEVELOPMENT"
	@echo "            ONLY, make demo's stack with its own IdP (alice, bob, carol), state kept in ./.stint-dev."
	@echo "            Otherwise stint serve (embedded Postgres in ./.stint); CONFIG=stint.yaml names a config."
	@echo "            STINT_LISTEN=127.0.0.1:8081 moves it (stint serve: with STINT_PUBLIC_URL=http://127.0.0.1:8081)"
	@echo "make demo   DEVELOPMENT ONLY: stint on 127.0.0.1:8080 with a dev identity provider (alice, bob,"
	@echo "            carol) and local AWS stand-ins, plus a walkthrough; DEMO_PORT=8081 picks another port"
	@echo "make check  compile, format and checkstyle, and the fast tests (unit and component), for every change"
	@echo "make test   the whole suite: the fast tests, then the integration tests (*IT), as CI runs it"
	@echo "make build  build target/stint.jar, target/stint-cached and target/stint-dev.jar (the demo's"
	@echo "            development build); bin/stint runs them"
	@echo "make dist   target/dist: the server and CLI (linux-x64 tarball, .deb) with their own Java runtime;"
	@echo "            the CLI alone (linux-x64 with a runtime; portable .tar.gz/.zip for a JDK 17+ on macOS,"
	@echo "            Linux arm64, Windows); a Homebrew formula and a Scoop manifest. make dist-check runs"
	@echo "            them unpacked, with no Java on the PATH (the portable one on two JDKs)"
	@echo "make screenshots  browser tests in headless Chromium; refreshes docs/img/ui-request.png"
	@echo "make lint   java format (google-java-format), checkstyle, Error Prone, terraform fmt"
	@echo "make clean  remove build output (keeps ./.stint and ./.stint-dev, the local databases)"
	@echo "make bench  benchmarks: bench-server (issuance, health, Postgres, JMH token verify), bench-outside"
	@echo "            (stint in its own process, load from wrk), bench-revoke, then bench-cli"
	@echo "make bench-steady  64 clients in several windows, with CPU and allocation per request"
	@echo "make bench-scale   an empty database beside a year of records (10M audit events, 1M requests),"
	@echo "            side by side; the loaded one is generated once and cached in target/bench-scale"
	@echo "make mutation  mutation testing (PIT) of policy, identity, issuance, the ledger and the revocation"
	@echo "            code, with their fast tests; not part of make test. MUTATE=dev.stint.policy.* narrows it"
	@echo "make soak   long-running reliability tests (tagged soak; not part of make test): audited"
	@echo "            load, and two replicas on one Postgres each killed once (STINT_SOAK_SECONDS)"

build: $(JAR) $(HELPER)

$(JAR): $(SOURCES)
	$(MVN) -q -DskipTests package
	@touch $(JAR)

# The launcher's cached credentials path without a JVM (src/main/c/stint-cached.c). Without a
# C compiler bin/stint still works: every call then starts a JVM.
$(HELPER): src/main/c/stint-cached.c src/main/c/cache_entry.h src/main/c/sha256.h
	@mkdir -p target
	@if command -v $(CC) >/dev/null 2>&1; then \
	  $(CC) -std=c11 -Wall -Wextra -pedantic -Werror -O2 -o $@ $<; \
	else \
	  echo "build: no C compiler ($(CC)): cached 'stint credentials' will start a JVM"; \
	fi

# The installable builds (packaging/dist.sh): the server and CLI, the CLI alone, the formulae.
dist: build
	packaging/dist.sh

dist-check: dist
	packaging/check-dist.sh

# CONFIG=stint.yaml picks a config file; every key can also be set by its STINT_* variable.
# With no identity provider configured (no CONFIG, no STINT_POLICIES, and ./policies naming only
# placeholder issuers, as shipped: `stint policy check --require-identity-provider` exits 3), the
# server would start but nobody could sign in, so make run runs the development stack instead:
# make demo's, with its state kept in ./.stint-dev across runs. Only bin/stint demo starts it.
# Stopping it with Ctrl-C or SIGTERM is a normal end, not a failure of make.
# Log lines for a person at the terminal; STINT_LOG_FORMAT=json make run keeps production's JSON.
DEV_STATE := .stint-dev
run: $(JAR)
	@if [ -z "$(CONFIG)" ] && [ -z "$${STINT_POLICIES:-}" ]; then \
	  found=0; bin/stint policy check --require-identity-provider policies >/dev/null || found=$$?; \
	  case $$found in 0) ;; 3) devstack=1 ;; *) exit $$found ;; esac; \
	fi; \
	if [ -n "$${devstack:-}" ]; then \
	  echo "make run: no identity provider is configured, so this is the DEVELOPMENT stack (make demo's):"; \
	  echo "make run: a development IdP that signs anyone in as alice, bob or carol, on 127.0.0.1 only,"; \
	  echo "make run: its state kept in ./$(DEV_STATE). For your own IdP: docs/configuration.md, \"Your identity provider\"."; \
	  port=$${STINT_LISTEN:-127.0.0.1:8080}; \
	  bin/stint demo --keep $(DEV_STATE) --port $${port##*:}; \
	else \
	  STINT_LOG_FORMAT=$${STINT_LOG_FORMAT:-text} bin/stint serve $(if $(CONFIG),--config $(CONFIG)); \
	fi; code=$$?; \
	  [ $$code -eq 0 ] || [ $$code -eq 130 ] || [ $$code -eq 143 ] || exit $$code

# The demo keeps nothing: its database, keys and CLI login live in a temporary directory.
demo: $(JAR)
	@bin/stint demo $(if $(DEMO_PORT),--port $(DEMO_PORT)); code=$$?; \
	  [ $$code -eq 0 ] || [ $$code -eq 130 ] || [ $$code -eq 143 ] || exit $$code

# The fast tier: compile, format and checkstyle, and the unit and component tests (surefire), for every change.
# The format and static checks run in a Maven of their own beside the compile and the tests: each
# is one thread, so on two cores they finish within the compile instead of before it.
check:
	@$(MAKE) --no-print-directory -j2 style fast-tests

fast-tests:
	$(MVN) test

# Everything CI runs: the fast tier, then the integration tier (*IT: processes, browsers,
# replicas, outages) against the packaged build.
test:
	$(MVN) verify

# The README's screenshot comes from the browser tests (Debian chromium + chromium-driver).
screenshots:
	STINT_REQUIRE_BROWSER=1 $(MVN) -q verify -Dtest=none -Dit.test='DemoBrowserIT' \
	  -Dsurefire.failIfNoSpecifiedTests=false -Dstint.readme.screenshot=true
	@echo "screenshots: target/screenshots/*.png; docs/img/ui-request.png, ui-revoke-confirm.png, ui-approvals-phone.png, ui-audit.png"

# Terraform is not in Debian's archive nor Maven Central, so a fresh machine may not have it:
# then the check is skipped with a clear line instead of failing the build for a missing tool.
# Java: google-java-format (spotless) and static analysis (checkstyle, build/checkstyle.xml:
# methods of at most 60 lines, imports, no names written out in full); both fail the build.
# `mvn spotless:apply` formats. Terraform: fmt -check.
# make check runs the format and checkstyle part; make lint (and CI) adds Error Prone, a second
# compile of every source that would double the fast tier's compile time.
style:
	$(MVN) -q spotless:check checkstyle:check
	@echo "lint: java format and checkstyle ok"

lint:
	@$(MAKE) --no-print-directory -j2 style errorprone
	@if command -v terraform >/dev/null 2>&1; then \
	  echo "lint: terraform fmt -check -recursive terraform"; \
	  CHECKPOINT_DISABLE=1 terraform fmt -check -recursive terraform \
	    || { echo "lint: terraform files need formatting: run terraform fmt -recursive terraform"; exit 1; }; \
	  echo "lint: terraform fmt ok"; \
	else \
	  echo "lint: SKIPPED terraform fmt check: terraform is not installed on this machine"; \
	fi

# Every source compiled again with Error Prone, into target/errorprone.
errorprone:
	$(MVN) -q -Perrorprone test-compile
	@echo "lint: error prone ok (its default errors fail the build; target/errorprone)"

# Long reliability runs (JUnit tag "soak"), excluded from `make test` by the pom's
# excludedTestGroups property. STINT_SOAK_SECONDS sets their length (default 180).
soak:
	$(MVN) test -Dgroups=soak -DexcludedTestGroups=none

# Mutation testing (PIT, the pom's profile "mutation"): policy, identity, issuance, the ledger, the
# revocation code, the directory, the facts and AWS's account and revocation classes mutated, the
# fast tests of those packages run against each mutant (never *IT).
# Long on a small host, so outside make check and make test. MUTATE narrows the classes mutated
# (PIT globs, comma-separated: MUTATE='dev.stint.issuance.ReplayGuard*'); TESTS narrows the tests
# run likewise (TESTS='dev.stint.facts.*Test'), which shortens the coverage run that precedes the
# mutants, and THREADS sets PIT's threads (2 unless told). Every mutation minion ends
# with Runtime.halt, which leaves its test Postgres running: each next test JVM reaps the ones left
# (testing.AbandonedPostgres), and this target reaps the last ones at its end.
PIT_REPORT := target/pit-reports
mutation:
	@mkdir -p target
	@{ $(MVN) -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage \
	    $(if $(MUTATE),-Dpit.targetClasses='$(MUTATE)') $(if $(TESTS),-Dpit.targetTests='$(TESTS)') \
	    $(if $(THREADS),-Dpit.threads=$(THREADS)); echo $$? > target/pit.status; } \
	  | tee target/pit.log
	@java -cp target/test-classes:target/classes dev.stint.testing.AbandonedPostgres
	@status=$$(cat target/pit.status); [ "$$status" -eq 0 ] || exit $$status; \
	  echo "mutation: report $(PIT_REPORT)/index.html (also mutations.xml, mutations.csv), log target/pit.log"; \
	  grep -E '^>> (Generated [0-9]+ mutations|Mutations with no coverage|Ran )|^> Total' target/pit.log \
	    | sed -E 's/^>+ +/mutation: /'; \
	  awk -F, '{n[$$6]++} END {for (s in n) printf "mutation: %s %d\n", s, n[s]}' \
	    $(PIT_REPORT)/mutations.csv | sort

bench: bench-server bench-outside bench-revoke bench-cli

# The test classes and their class path, for the JVM benches below.
BENCH_CP = target/test-classes:target/classes:$$(cat target/bench-classpath.txt)
# Benches, like the tests, resolve no name but localhost: nothing they start reaches another address.
BENCH_JAVA = java -Djdk.net.hosts.file=src/test/resources/hosts-loopback -Dvertx.disableDnsResolver=true
bench-classpath:
	$(MVN) -q -DskipTests test-compile dependency:build-classpath \
	  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt

# Issuance throughput against a real server (durable embedded Postgres, fake STS, real IdP),
# /healthz and raw Postgres commits beside it, then JMH token verification. The AWS SDK needs
# about two minutes of JIT warm-up: BENCH_WARMUP (seconds, first run only) and BENCH_MEASURE
# (seconds per client count) trade accuracy for time.
BENCH_WARMUP ?= 150
BENCH_MEASURE ?= 20
# From a revoke's commit to its AWS deny in place (read back), through the outbox, one at a
# time, with /healthz and a raw Postgres commit beside it. BENCH_REVOCATIONS of them.
BENCH_REVOCATIONS ?= 60
bench-revoke: bench-classpath
	$(BENCH_JAVA) -cp $(BENCH_CP) dev.stint.bench.RevocationBench $(BENCH_REVOCATIONS) 15

bench-server: bench-classpath
	$(BENCH_JAVA) -Xms1g -Xmx1g -cp $(BENCH_CP) dev.stint.bench.ServerBench $(BENCH_WARMUP) $(BENCH_MEASURE)
	$(BENCH_JAVA) -cp $(BENCH_CP) org.openjdk.jmh.Main TokenVerifyBench -f 1 -wi 3 -w 3s -i 5 -r 3s -t 1 -foe true

# Issuance from outside: stint as its own process, load from wrk (apt-get install wrk; without it
# the bench's own load driver, still in another process), /healthz and a raw commit beside it.
# BENCH_SERVER_JVM passes options to the server's JVM (a collector, a heap size). BENCH_APART=1
# makes the whole run again with the server on cores of its own (taskset), apart from Postgres,
# the stand-ins and the load, and compares the two tails. The bench's own
# JVM answers as the fake STS: with the default heap it collected every second, stalling every STS
# call in flight, so it gets a young generation large enough to collect rarely.
bench-outside: bench-classpath
	$(BENCH_JAVA) -Xms2g -Xmx2g -Xmn1g $(if $(BENCH_APART),-Dbench.apart=true) -cp $(BENCH_CP) dev.stint.bench.OutsideBench $(BENCH_WARMUP) $(BENCH_MEASURE) $(BENCH_SERVER_JVM)

# 64 clients only, in BENCH_WINDOWS windows of BENCH_WINDOW seconds after BENCH_WARMUP, with
# CPU time and allocation per request: for comparing two builds back to back.
BENCH_WINDOWS ?= 4
BENCH_WINDOW ?= 15
bench-steady: bench-classpath
	$(BENCH_JAVA) -Xms1g -Xmx1g -cp $(BENCH_CP) \
	  dev.stint.bench.SteadyStateBench $(BENCH_WARMUP) $(BENCH_WINDOWS) $(BENCH_WINDOW)

# The growth bench: the same figures on an empty database and on a year of a busy organisation,
# in alternating windows. The loaded database is generated on the first run (several minutes)
# and reused while the migrations and the generator are unchanged. BENCH_SCALE_EVENTS,
# BENCH_SCALE_REQUESTS and BENCH_SCALE_PEOPLE make a smaller year; BENCH_SCALE_WARMUP,
# BENCH_SCALE_WINDOW and BENCH_SCALE_ROUNDS trade accuracy for time.
bench-scale: bench-classpath
	$(BENCH_JAVA) -Xms2g -Xmx2g -cp $(BENCH_CP) dev.stint.bench.ScaleBench

# The cached `stint credentials` path beside `cat` of its file and `java -version`, with ratios.
# The cached `stint credentials` beside cat and java -version, then every JVM command of the
# installed CLI package beside java -version (against a running demo).
bench-cli: dist
	bench/credentials-cache.sh
	bench/cli-commands.sh

clean:
	$(MVN) -q clean
