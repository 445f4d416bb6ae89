# Two entry points for a fresh Debian machine with the Swift toolchain:
#   make demo   install what is missing, build in release mode, run the default example deck
#   make test   install what is missing, run the whole test suite
SWIFT ?= swift
APT_PACKAGES = libopenblas-dev liblapacke-dev libhdf5-dev libfftw3-dev pkg-config
DEMO_DECK ?= Inputs/alloy_fenicr_remc.yaml

.PHONY: demo test deps build examples checks physics bench

deps:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		echo "installing $(APT_PACKAGES)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

build: deps
	$(SWIFT) build -c release --product crucible

demo: build
	cd Inputs && ../.build/release/crucible run $(notdir $(DEMO_DECK))

test: deps
	$(SWIFT) test

# Every deck in Inputs/, shortened (CI stage 2).
examples: build
	bash Tools/run_examples.sh

# Checks by peer tools (h5py, MDAnalysis, ASE) on files Crucible writes (CI stage 3).
checks: build
	bash Tools/run_checks.sh

# Long physics checks (NVE drift and minimisation against LAMMPS, barostat fluctuations), release build.
physics: deps
	CRUCIBLE_PHYSICS=1 $(SWIFT) test -c release -Xswiftc -enable-testing --filter Physics

bench: build
	python3 Benchmarks/run.py
