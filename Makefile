# Paper Breakdowns: build the HTML site and the PDF from one source, and test both.
#
#   make html        build/html/index.html
#   make latexpdf    build/latex/paper-breakdowns.pdf
#   make check       the fast checks of the sources (seconds; html and latexpdf run it first)
#   make test        build both from scratch and run every check (pytest)
#   make screenshots desktop and phone screenshots of the built site in build/screenshots/
#   make bench       measure the builds: build/bench.md and build/bench.json (BENCHOPTS=--quick for a short run)
#   make linkcheck   check external links
#   make livehtml    rebuild the HTML on change and serve it on localhost
#   make clean       remove build/ (keeps .venv, and .cache/: figures and formulas drawn and typeset
#                    before, each under a digest of its inputs, so never stale)
#   make clean-cache remove .cache/ too: the next build draws and typesets everything again
#
# Every target installs what it needs: .venv from requirements.txt, and Debian's TeX Live for the PDF.

SHELL       := /bin/bash
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
SOURCEDIR   := source
BUILDDIR    := build
SPHINXOPTS  ?= -W --keep-going -n
BENCHOPTS   ?=
JS          := build_scripts/js/node_modules
SPHINX      := $(SPHINXBUILD) -c . -d $(BUILDDIR)/doctrees $(SPHINXOPTS)
TEX_PACKAGES := latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended tex-gyre texlive-plain-generic poppler-utils
BROWSER_PACKAGES := chromium

.PHONY: html latexpdf check test bench screenshots linkcheck livehtml clean clean-cache venv tex browser

PDF := $(BUILDDIR)/latex/paper-breakdowns.pdf

# The site links to the book's PDF: each target copies the newest PDF into the site when both exist.
html: venv check
	$(SPHINX) -b html $(SOURCEDIR) $(BUILDDIR)/html
	@if [ -f $(PDF) ]; then cp $(PDF) $(BUILDDIR)/html/; else echo "build/html: no PDF to link yet (make latexpdf puts it in the site)"; fi

latexpdf: venv tex check
	$(SPHINX) -b latex $(SOURCEDIR) $(BUILDDIR)/latex
	$(BIN)/python -m build_scripts.latexpdf $(BUILDDIR)/latex $(SOURCEDIR)
	@if [ -d $(BUILDDIR)/html ]; then cp $(PDF) $(BUILDDIR)/html/; fi

check: venv
	$(BIN)/python -m build_scripts.check_sources .

test: venv tex browser
	$(BIN)/python -m pytest

screenshots: venv browser
	$(BIN)/python -m build_scripts.screenshots $(BUILDDIR)/html $(BUILDDIR)/screenshots

bench: venv tex browser
	$(BIN)/python -m build_scripts.bench $(BENCHOPTS)

linkcheck: venv
	$(SPHINX) -b linkcheck $(SOURCEDIR) $(BUILDDIR)/linkcheck

livehtml: venv
	$(BIN)/sphinx-autobuild -c . $(SOURCEDIR) $(BUILDDIR)/html --host 127.0.0.1 --port 8000

clean:
	rm -rf $(BUILDDIR)

clean-cache: clean
	rm -rf .cache

venv: $(VENV)/.installed $(JS)/.installed

$(JS)/.installed: build_scripts/js/package.json build_scripts/js/package-lock.json
	@bash build_scripts/need-debian-packages.sh npm "nodejs npm"
	npm ci --prefix build_scripts/js --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

tex:
	@bash build_scripts/need-debian-packages.sh latexmk "$(TEX_PACKAGES)"
	@bash build_scripts/need-debian-packages.sh pdftotext poppler-utils

browser:
	@bash build_scripts/need-debian-packages.sh chromium "$(BROWSER_PACKAGES)"
