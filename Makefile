# `make run`: the console against the local AWS emulator (http://127.0.0.1:8080).
# `make test`: every test layer; see scripts/test.sh.
.PHONY: run test setup build bench-size bench-browser

run:
	scripts/run.sh

test:
	scripts/test.sh

setup:
	scripts/setup.sh

# release build into dist/
build: setup
	PATH="$(CURDIR)/.tools/node_modules/.bin:$$PATH" trunk build --release

bench-size:
	scripts/bench-size.sh

# needs dist/ (make build)
bench-browser:
	bash -c 'source scripts/env.sh && node scripts/bench-browser.mjs'
