# The cybermarket server image: one static binary (migrations and reference
# data are embedded in it) on an empty base, run as a non-root user. It writes
# nothing to its filesystem, so it runs with a read-only root filesystem.
#
#   docker build -t cybermarket:0.1.0 .
#   docker run --rm -e DATABASE_URL=... cybermarket:0.1.0 migrate
#   docker run --rm -p 8080:8080 -e DATABASE_URL=... -e MEILI_URL=... cybermarket:0.1.0
#
# The build stage's Go is the go line of go.mod (a test checks they agree).

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/cybermarket ./cmd/cybermarket

FROM scratch
# Root certificates for TLS to PostgreSQL, Meilisearch and an OTLP collector.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/cybermarket /cybermarket
# 65532 is the "nonroot" user of distroless images; scratch has no user
# database, so the numeric id is what counts.
USER 65532:65532
ENV LISTEN_ADDR=:8080 LOG_FORMAT=json
# 8080: the API. 9090: Prometheus metrics when METRICS_LISTEN_ADDR=:9090.
EXPOSE 8080 9090
ENTRYPOINT ["/cybermarket"]
CMD ["serve"]
