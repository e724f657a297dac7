# dlnb: the two commands a user needs are `make lab` (start the lessons) and
# `make test` (run every test). Both install what is missing on Debian.
SHELL := /bin/bash

.PHONY: lab test test-go setup test-parity test-parity-large parity-bands test-nbgrader test-class test-class-large test-browser test-lesson-screens

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

# nn against Keras 3 itself, case by case (installs the locked Keras environment first).
test-parity:
	@bash scripts/test-parity.sh

# The same with the larger cases (MNIST 10,000 images, 100 epochs, Keras-JAX's clipped cross-entropy).
test-parity-large:
	@DLNB_PARITY_LARGE=1 bash scripts/test-parity.sh

# What Keras 3 itself gives for lessons 6 and 8 over several seeds (the bands the lessons cite).
parity-bands:
	@bash scripts/parity-bands.sh

# nbgrader with the Go kernel: generate, autograde four students on each of the four assignments, feedback, export (issue 15).
test-nbgrader:
	@bash scripts/test-nbgrader.sh

# The class hub (docker/class): 5 students, spawn and first-cell times, the fault cases, a browser.
test-class:
	@bash scripts/test-class.sh

# The same with a class of 30 (by hand: about 30 GB of RAM for the limits, and time).
test-class-large:
	@DLNB_CLASS_STUDENTS=30 bash scripts/test-class.sh

# The browser checks (headless Chromium): plotting's charts in pages and in JupyterLab 4.
test-browser:
	@bash scripts/test-browser.sh

# Every lesson and exercise run from JupyterLab 4 in the browser (and in Notebook 7, under a hub's
# URL prefix, over HTTPS); screenshots in build/lesson-screens/shots.
test-lesson-screens:
	@bash scripts/test-lesson-screens.sh
