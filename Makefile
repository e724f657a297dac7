# dlnb: the two commands a user needs are `make lab` (start the lessons) and
# `make test` (run every test). Both install what is missing on Debian.
SHELL := /bin/bash

.PHONY: lab test test-go test-browser test-lesson-screens setup

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

# The browser checks (headless Chromium): plotting's charts in pages and in JupyterLab 4.
test-browser:
	@bash scripts/test-browser.sh

# Every lesson and exercise run from JupyterLab 4 in the browser (and in Notebook 7, under a hub's
# URL prefix, over HTTPS); screenshots in build/lesson-screens/shots.
test-lesson-screens:
	@bash scripts/test-lesson-screens.sh
