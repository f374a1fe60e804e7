# ConnectPoint build and test entry points. `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GO          ?= go
BIN         := bin/connectpoint
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -X main.version=$(VERSION)
DATA        ?= ./.data
ARGS        ?=
TEST_TIMEOUT ?= 30m

# Benchmarks: BENCH is the package list, BENCHPAT the -bench pattern, BENCHFLAGS the rest.
BENCH       ?= ./...
BENCHPAT    ?= .
BENCHTIME   ?= 1s
BENCHFLAGS  ?= -benchmem -benchtime=$(BENCHTIME) -timeout 60m

# Debian packages: what cgo needs to build Fyne, and what the window tests need on top.
DEPS_PKGS      := gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev
TEST_DEPS_PKGS := xvfb xdotool imagemagick

# apt-get through sudo unless we are root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# apt_ensure(PACKAGES): install those not yet installed; a no-op (and offline) when all are there.
define apt_ensure
	@missing=""; \
	for p in $(1); do \
	  [ "$$(dpkg-query -W -f='$${db:Status-Status}' "$$p" 2>/dev/null)" = installed ] || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then \
	  echo "==> Debian packages already installed: $(strip $(1))"; \
	else \
	  echo "==> Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi
endef

# Targets such as test run their prerequisites in the order written, even under -j.
.NOTPARALLEL:

.PHONY: help deps test-deps build run test vet unit smoke screenshots bench clean

# help: list the targets.
help:
	@echo "make deps        install the Debian packages the build needs"
	@echo "make test-deps   deps + Xvfb, xdotool, ImageMagick for the window tests"
	@echo "make build       build $(BIN) (version $(VERSION))"
	@echo "make run         build and run the app with --data $(DATA) (ARGS=... for more)"
	@echo "make test        go vet, go test -race, then the smoke test under Xvfb"
	@echo "make smoke       start the built app under Xvfb and screenshot it"
	@echo "make screenshots every screen on the demo program, as PNGs in screenshots/"
	@echo "make bench       run the Go benchmarks (BENCH=pkgs BENCHPAT=re BENCHTIME=1s)"
	@echo "make clean       remove build output and screenshots (never $(DATA))"

# deps: the C toolchain and X11/OpenGL headers that cgo needs for Fyne.
deps:
	$(call apt_ensure,$(DEPS_PKGS))

# test-deps: deps plus a virtual display and the tools that drive and photograph it (one apt-get update).
test-deps:
	$(call apt_ensure,$(DEPS_PKGS) $(TEST_DEPS_PKGS))

# build: the app binary, stamped with the git version.
build:
	@echo "==> go build $(BIN) (version $(VERSION))"
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

# run: build and start the GUI on the local data folder.
run: deps build
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "ConnectPoint is a desktop app and needs a display, but DISPLAY is not set." >&2; \
	  echo "Run it on a desktop, or under a virtual display with: xvfb-run -a $(BIN) --data $(DATA)" >&2; \
	  exit 1; \
	fi
	@mkdir -p $(DATA)
	./$(BIN) --data $(DATA) $(ARGS)

# test: everything CI runs; works as root with no display.
test: test-deps vet unit smoke

# vet: static checks.
vet:
	@echo "==> go vet ./..."
	$(GO) vet ./...

# unit: the Go tests with the race detector.
unit:
	@echo "==> go test -race ./..."
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...

# smoke: the built app opens a window under Xvfb that is not blank (screenshots/smoke.png).
smoke:
	@echo "==> smoke test under Xvfb"
	scripts/smoke.sh

# screenshots: the real binary on the demo program under Xvfb, one PNG per screen.
screenshots: test-deps build
	scripts/screenshots.sh

# bench: the Go benchmarks, figures printed as go test gives them.
bench:
	@echo "==> go test -bench $(BENCHPAT) $(BENCH)"
	$(GO) test -run '^$$' -bench '$(BENCHPAT)' $(BENCHFLAGS) $(BENCH)

# clean: build output, screenshots and test artefacts; the data folder is left alone.
clean:
	rm -rf bin dist screenshots
	find . -path '*/testdata/failed' -type d -prune -exec rm -rf {} +
	$(GO) clean -testcache
