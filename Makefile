GO      ?= go
DATA    ?= ./data
PKGS    ?= ./...

.PHONY: deps build run test bench bench-pipeline bench-rebuild lint fmt

deps:
	./scripts/install-deps

build:
	$(GO) build -o bin/repodelta ./cmd/repodelta

# run: the main job on the embedded default (embedded broker, managed
# ClickHouse), over the host's apt indexes unless CONFIG names a file.
CONFIG  ?=
run: deps build
	./bin/repodelta --data-dir $(DATA) $(if $(CONFIG),--config $(CONFIG)) run --once

# test: every test, against a real ClickHouse server and the embedded broker.
test: deps
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 40m $(PKGS)

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# bench-pipeline: the producer figures, then the pipeline end to end: from
# the .xz indexes, and from the same indexes uncompressed (as apt keeps
# them), where decompression does not bound the delta.
CORPUS ?= ../shared/corpus/debian
bench-pipeline: deps build
	./scripts/bench-producer
	./bin/repodelta --data-dir $$(mktemp -d) --config examples/bookworm.yaml bench --projector packages \
		$(CORPUS)/bookworm_main_amd64_Packages.xz $(CORPUS)/bookworm-point_main_amd64_Packages.xz
	plain=$$(mktemp -d) && xz -dc $(CORPUS)/bookworm_main_amd64_Packages.xz > $$plain/bookworm_Packages && \
		xz -dc $(CORPUS)/bookworm-point_main_amd64_Packages.xz > $$plain/bookworm-point_Packages && \
		./bin/repodelta --data-dir $$(mktemp -d) --config examples/bookworm.yaml bench --projector packages \
			$$plain/bookworm_Packages $$plain/bookworm-point_Packages; status=$$?; rm -rf $$plain; exit $$status
	./bin/repodelta --data-dir $$(mktemp -d) --config examples/bookworm.yaml bench --with-others --rebuild \
		../shared/corpus/debian/bookworm_main_amd64_Packages.xz ../shared/corpus/debian/bookworm-point_main_amd64_Packages.xz

# bench-rebuild: `repodelta rebuild` of every projection from a trixie +
# bookworm log (shadow tables from offset zero, then the swap): prints the
# time and the events per second into all projections.
bench-rebuild: deps build
	./bin/repodelta --data-dir $$(mktemp -d) --config examples/bookworm.yaml bench --with-others --rebuild \
		../shared/corpus/debian/bookworm_main_amd64_Packages.xz

lint:
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

fmt:
	gofmt -w $$(git ls-files '*.go')
