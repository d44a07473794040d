# syntax=docker/dockerfile:1
# The gateway as a small, static, non-root image:
#   docker build -t tanma-gateway .
#   docker run -p 8080:8080 tanma-gateway          # sandbox data, no config
# Production settings come from the environment (README, "Configuration" and
# "Running in production"); deploy/ has Kubernetes manifests.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Static (no cgo), reproducible (-trimpath), without debug tables (-s -w).
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/gateway .

# distroless/static: CA certificates (the upstream is HTTPS), no shell, no
# package manager; runs as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gateway /gateway
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/gateway"]
