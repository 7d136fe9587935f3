# hookguard CMP sidecar image: the static hookguard binary, plugin.yaml, and
# the two programs parameters can call on: git (kustomize clones git-URL
# bases with it when allow-remote-bases is on) and helm (kustomize's
# helmCharts when kustomize-enable-helm is on). Runs as the argocd user
# (UID 999) like the repo-server, with a read-only root filesystem: every
# write goes to /tmp (an emptyDir in deploy/).
#
# From a checkout: docker build -t hookguard:dev .
# VERSION is the release this tree is (the VERSION file; a test keeps them equal).
ARG GO_VERSION=1.26
ARG ALPINE_VERSION=3.22

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=v0.1.0
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w -X github.com/hookguard/hookguard/internal/buildinfo.version=${VERSION}" -o /out/hookguard ./cmd/hookguard
# helm at the version hookguard renders charts with in process (go.mod).
ARG HELM_VERSION=v3.22.0
RUN cd "$(mktemp -d)" && go mod init helmbuild >/dev/null 2>&1 && \
    go get helm.sh/helm/v3/cmd/helm@${HELM_VERSION} && \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags "-s -w" -o /out/helm helm.sh/helm/v3/cmd/helm

FROM alpine:${ALPINE_VERSION}
ARG VERSION=v0.1.0
LABEL org.opencontainers.image.title="hookguard" \
      org.opencontainers.image.description="Argo CD CMP sidecar that lints sync hooks and blocks unsafe syncs" \
      org.opencontainers.image.source="https://github.com/hookguard/hookguard" \
      org.opencontainers.image.version="${VERSION}"
# git with its https and ssh transports; a passwd entry for UID 999, which ssh needs.
RUN apk add --no-cache git openssh-client ca-certificates && \
    addgroup -g 999 argocd && adduser -D -u 999 -G argocd -h /home/argocd argocd
COPY --from=build /out/hookguard /usr/local/bin/hookguard
COPY --from=build /out/helm /usr/local/bin/helm
COPY plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
ENV HOME=/home/argocd
WORKDIR /home/argocd
USER 999:999
# argocd-cmp-server comes from the repo-server's shared var-files volume.
ENTRYPOINT ["/var/run/argocd/argocd-cmp-server"]
