# dlnb: the two commands a user needs are `make lab` (start the lessons) and
# `make test` (run every test). Both install what is missing on Debian.
SHELL := /bin/bash

.PHONY: lab test test-go test-nbgrader setup

# Start Jupyter on notebooks/ with the Go kernel (installs what is missing).
lab:
	@bash scripts/lab.sh

# Install what the lessons need (Jupyter, GoNB, the kernelspec, warm caches) without starting Jupyter.
setup:
	@bash scripts/setup.sh

# Every test: Go unit tests, notebooks, browser checks, the Docker image.
test:
	@bash scripts/test.sh

# Just the Go tests (fast; no Jupyter, browser or Docker needed).
test-go:
	@bash scripts/test-go.sh

# nbgrader with the Go kernel: generate, autograde three students, feedback, export (issue 15).
test-nbgrader:
	@bash scripts/test-nbgrader.sh
