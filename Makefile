# vets: the two commands of the README, and the builds behind them.
#   make run   install what is missing, build, fill a demo district, serve it: the back office on
#              127.0.0.1:8080, the public portal on 127.0.0.1:8081
#   make test  install what is missing, then every suite; the last line is "N passed, N failed"

BUILD ?= build
LISTEN ?= 127.0.0.1:8080
PORTAL ?= 127.0.0.1:8081
DEMO_DB ?= run/vets.db

.PHONY: all deps build run test fuzz-build asan-build clean format

all: build

deps:
	@sh scripts/install-deps.sh

# Meson globs the embedded files and test programs at configure time: reconfigure
# when that list changes, so that a new template or test is never silently left out.
$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: $(BUILD)/build.ninja
	@tools/list-assets.sh > $(BUILD)/.assets.new; ls tests/unit tests/fuzz >> $(BUILD)/.assets.new; \
	if ! cmp -s $(BUILD)/.assets.new $(BUILD)/.assets; then \
		meson setup --reconfigure $(BUILD) >/dev/null && mv $(BUILD)/.assets.new $(BUILD)/.assets; fi
	ninja -C $(BUILD)

run: deps
	@$(MAKE) --no-print-directory build
	@mkdir -p $(dir $(DEMO_DB))
	$(BUILD)/vets demo --db $(DEMO_DB) --listen $(LISTEN) --portal $(PORTAL)

test: deps
	@sh tests/run.sh

clean:
	rm -rf build build-asan build-fuzz

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
