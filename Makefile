# The two commands of the README: make run and make test.
.PHONY: run test build vet fmt openapi check

run: ## Start local PostgreSQL + Meilisearch under .local/ and serve on http://127.0.0.1:8080
	deploy/local/run.sh

test: ## Start throwaway PostgreSQL + Meilisearch and run go test -race ./... against them
	deploy/local/test.sh $(ARGS)

build:
	go build -o bin/cybermarket ./cmd/cybermarket

vet:
	go vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

openapi: ## Regenerate the committed spec after changing operations
	go run ./cmd/cybermarket openapi > openapi/openapi.yaml

check: vet test
