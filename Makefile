# ConnectPoint build and test entry points. `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GO          ?= go
BIN         := bin/connectpoint
BLANK       := bin/blankwindow
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
VERSION     := $(VERSION)# asked of git once: every artifact of one run carries the same version
LDFLAGS     := -X main.version=$(VERSION)
# Fyne build tags (measured with make bench-startup):
# - no_emoji leaves Fyne's 4 MB colour emoji font out: no screen uses emoji, and parsing it for
#   each text style cost 12 MB of memory and 85 ms of processor time at the window's start. An
#   emoji typed into a note is drawn from the system's fonts, if they have one.
# - no_animations: a focused entry's fading cursor redraws the whole window 60 times a second,
#   which without a graphics card (software OpenGL: virtual machines, remote desktops) cost 5% of
#   a processor on the login window and 60% on Facilities with 20,000 facilities, for as long as
#   the window sat there. The cursor stays lit instead; buttons do not ripple when pressed.
GOTAGS      ?= no_emoji,no_animations
DATA        ?= ./.data
ARGS        ?=
TEST_TIMEOUT ?= 30m

# Packages (`make dist`): see packaging/. The .deb version must start with a digit
# (packaging/version.sh: 1.2.3, 1.2.3+4.gabc1234, 0.0.0+57.gabc1234 before the first tag).
DIST        := dist
DEB_VERSION := $(shell VERSION='$(VERSION)' packaging/version.sh deb)
WIN_VERSION := $(shell VERSION='$(VERSION)' packaging/version.sh win)
DEB         := $(DIST)/connectpoint_$(DEB_VERSION)_amd64.deb
TARXZ       := $(DIST)/ConnectPoint-$(VERSION)-linux-amd64.tar.xz
WIN_SETUP   := $(DIST)/ConnectPoint-$(VERSION)-windows-amd64-setup$(if $(CONNECTPOINT_SIGN_CERT),,-unsigned).exe
WIN_CC      ?= x86_64-w64-mingw32-gcc
NFPM_VERSION := v2.45.2
NFPM        := bin/tools/nfpm-$(NFPM_VERSION)/nfpm
# The packages' files carry the commit's time, not the build's.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

# Benchmarks: BENCH is the package list, BENCHPAT the -bench pattern, BENCHFLAGS the rest.
BENCH       ?= ./...
BENCHPAT    ?= .
BENCHTIME   ?= 1s
BENCHFLAGS  ?= -benchmem -benchtime=$(BENCHTIME) -timeout 60m

# Debian packages: what cgo needs to build Fyne, and what the window tests need on top.
DEPS_PKGS      := gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev
TEST_DEPS_PKGS := xvfb xdotool imagemagick
# ...and what `make dist` needs on top: the mingw-w64 C compiler for 64-bit Windows (win32
# threads: no libwinpthread DLL to ship), NSIS, xz, osslsigncode.
DIST_PKGS      := gcc-mingw-w64-x86-64-win32 nsis xz-utils osslsigncode file
# make test checks the Windows installer too (cold: about 9 minutes on 2 cores;
# warm: about a minute, mostly NSIS compressing); WINDOWS_CHECK=0 leaves it out.
WINDOWS_CHECK  ?= 1
ifeq ($(WINDOWS_CHECK),1)
TEST_DEPS_PKGS += $(DIST_PKGS)
endif

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

.PHONY: help deps test-deps dist-deps build run test vet unit smoke screenshots bench bench-go bench-startup clean \
	dist dist-linux-bin dist-deb dist-tar dist-win dist-check icons

# help: list the targets.
help:
	@echo "make deps        install the Debian packages the build needs"
	@echo "make test-deps   deps + Xvfb, xdotool, ImageMagick for the window tests"
	@echo "make build       build $(BIN) (version $(VERSION))"
	@echo "make run         build and run the app with --data $(DATA) (ARGS=... for more)"
	@echo "make test        go vet, go test -race, the smoke test under Xvfb, then make dist-check"
	@echo "make smoke       start the built app under Xvfb and screenshot it"
	@echo "make screenshots every screen on the demo program, as PNGs in screenshots/"
	@echo "make bench       bench-go, then bench-startup"
	@echo "make bench-go    the Go benchmarks (BENCH=pkgs BENCHPAT=re BENCHTIME=1s)"
	@echo "make bench-startup  start and memory of the window against a blank Fyne window, under Xvfb (RUNS=10 SIZES='county state')"
	@echo "make dist        the installers in $(DIST)/: .deb, .tar.xz, Windows setup .exe (version $(VERSION))"
	@echo "make dist-check  check the .deb (unpacked, its connectpoint version) and the Windows installer (part of make test; WINDOWS_CHECK=0 skips Windows)"
	@echo "make icons       regenerate packaging/icons/ from assets/icon.png (ImageMagick)"
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
	$(GO) build -tags '$(GOTAGS)' -ldflags "$(LDFLAGS)" -o $(BIN) .

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
test: test-deps vet unit smoke dist-check

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

# bench: every figure of the performance budget (DESIGN §7).
bench: bench-go bench-startup

# bench-go: the Go benchmarks, figures printed as go test gives them.
bench-go:
	@echo "==> go test -bench $(BENCHPAT) $(BENCH)"
	$(GO) test -run '^$$' -bench '$(BENCHPAT)' $(BENCHFLAGS) $(BENCH)

# bench-startup: the window's start and memory against a blank Fyne window built the same way
# (scripts/startup.sh). The first run generates the state-size demo program (a few minutes).
bench-startup: test-deps build
	@echo "==> go build $(BLANK)"
	$(GO) build -tags '$(GOTAGS)' -ldflags "$(LDFLAGS)" -o $(BLANK) ./internal/blankwindow
	scripts/startup.sh

# dist: every installer, into $(DIST)/ (see README, "Installing"). Signs the Windows files when
# CONNECTPOINT_SIGN_CERT and CONNECTPOINT_SIGN_PASSWORD are set; says "unsigned" otherwise.
dist: dist-deps
	@start=$$SECONDS; \
	rm -f $(DIST)/*.deb $(DIST)/*.tar.xz $(DIST)/*.exe $(DIST)/SHA256SUMS $(DIST)/SIGNING.txt; \
	$(MAKE) --no-print-directory dist-deb dist-tar dist-win; \
	if [ -n "$${CONNECTPOINT_SIGN_CERT:-}" ]; then \
	  echo "The Windows program, its uninstaller and its installer are signed (Authenticode) with $$(basename "$$CONNECTPOINT_SIGN_CERT")." >$(DIST)/SIGNING.txt; \
	else \
	  printf '%s\n' "The Windows installer is UNSIGNED: no certificate was given to make dist." \
	    "Windows SmartScreen warns before running it (More info > Run anyway). To sign, build with" \
	    "CONNECTPOINT_SIGN_CERT=/path/to/cert.p12 CONNECTPOINT_SIGN_PASSWORD=... make dist" >$(DIST)/SIGNING.txt; \
	fi; \
	(cd $(DIST) && sha256sum *.deb *.tar.xz *.exe >SHA256SUMS); \
	echo "==> $(DIST)/ (version $(VERSION), $$((SECONDS - start))s):"; \
	ls -l $(DIST)/*.deb $(DIST)/*.tar.xz $(DIST)/*.exe | awk '{printf "    %-64s %6.1f MB\n", $$NF, $$5 / 1048576}'; \
	[ -n "$${CONNECTPOINT_SIGN_CERT:-}" ] || echo "    the Windows installer is unsigned (see $(DIST)/SIGNING.txt)"

# dist-deps: deps plus the cross compiler, NSIS, xz and osslsigncode.
dist-deps:
	$(call apt_ensure,$(DEPS_PKGS) $(DIST_PKGS))

# dist-linux-bin: the Linux binary that goes into the packages, stripped of symbols.
dist-linux-bin:
	@echo "==> go build $(DIST)/build/linux/connectpoint (version $(VERSION))"
	$(GO) build -tags '$(GOTAGS)' -ldflags "$(LDFLAGS) -s -w" -o $(DIST)/build/linux/connectpoint .

# nfpm builds the .deb; installed once into bin/tools from the Go module proxy.
$(NFPM):
	@echo "==> go install nfpm $(NFPM_VERSION)"
	GOBIN=$(CURDIR)/$(dir $(NFPM)) $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)

# dist-deb: the Debian package (packaging/nfpm.yaml).
dist-deb: dist-linux-bin $(NFPM)
	@echo "==> nfpm $(DEB)"
	@mkdir -p $(DIST)
	CP_VERSION='$(DEB_VERSION)' CP_GIT_VERSION='$(VERSION)' CP_BIN=$(DIST)/build/linux/connectpoint \
	  $(NFPM) package --config packaging/nfpm.yaml --packager deb --target $(DEB)

# dist-tar: the .tar.xz in the layout `fyne package` makes (connectpoint/Makefile, connectpoint/usr/local/...).
dist-tar: dist-linux-bin
	@echo "==> tar $(TARXZ)"
	@stage=$(DIST)/build/tar/connectpoint; rm -rf $(DIST)/build/tar; \
	install -Dm0755 $(DIST)/build/linux/connectpoint $$stage/usr/local/bin/connectpoint; \
	install -Dm0644 packaging/linux/org.connectpoint.app.desktop $$stage/usr/local/share/applications/org.connectpoint.app.desktop; \
	install -Dm0644 packaging/icons/connectpoint-256.png $$stage/usr/local/share/pixmaps/org.connectpoint.app.png; \
	install -Dm0644 packaging/linux/Makefile $$stage/Makefile; \
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@$(SOURCE_DATE_EPOCH) \
	  -C $(DIST)/build/tar -cJf $(TARXZ) connectpoint

# dist-win: the Windows installer (packaging/build-windows.sh, packaging/windows/).
dist-win:
	VERSION='$(VERSION)' WINVERSION='$(WIN_VERSION)' OUT='$(WIN_SETUP)' GO='$(GO)' GOTAGS='$(GOTAGS)' WIN_CC='$(WIN_CC)' \
	  packaging/build-windows.sh

# dist-check: build the .deb, unpack it into a temporary root and run connectpoint version from
# there; then (unless WINDOWS_CHECK=0) build the Windows installer and check it and its program.
dist-check: deps dist-deb
	packaging/check-deb.sh $(DEB) '$(VERSION)' '$(DEB_VERSION)'
ifeq ($(WINDOWS_CHECK),1)
	$(call apt_ensure,$(DIST_PKGS))
	$(MAKE) --no-print-directory dist-win
	packaging/check-windows.sh $(WIN_SETUP) $(DIST)/build/windows '$(VERSION)'
endif

# icons: the icon at the sizes the platforms want, from assets/icon.png; the results are committed.
ICON_SIZES := 16 32 48 64 128 256 512
icons:
	$(call apt_ensure,imagemagick)
	@for n in $(ICON_SIZES); do \
	  convert assets/icon.png -strip -define png:exclude-chunks=date,time -filter Lanczos \
	    -resize $${n}x$${n} PNG32:packaging/icons/connectpoint-$$n.png; \
	done
	convert assets/icon.png -strip -define icon:auto-resize=256,128,64,48,32,24,16 packaging/icons/connectpoint.ico
	@ls -l packaging/icons

# clean: build output, screenshots and test artefacts; the data folder is left alone.
clean:
	rm -rf bin dist screenshots
	find . -path '*/testdata/failed' -type d -prune -exec rm -rf {} +
	$(GO) clean -testcache
