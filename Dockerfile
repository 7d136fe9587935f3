# hookguard CMP sidecar image: a static binary and plugin.yaml on a minimal
# base, running as the argocd user (UID 999) like the repo-server.
ARG GO_VERSION=1.26
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/hookguard ./cmd/hookguard

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hookguard /usr/local/bin/hookguard
COPY plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
ENV HOME=/home/argocd
WORKDIR /home/argocd
USER 999:999
# argocd-cmp-server comes from the repo-server's shared var-files volume.
ENTRYPOINT ["/var/run/argocd/argocd-cmp-server"]
