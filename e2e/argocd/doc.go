// Package argocd holds end-to-end tests that run Argo CD's own CMP server
// (argo-cd v3.6.1) with hookguard's plugin.yaml. It is a module of its own so
// the product never imports argo-cd; build it with GOTOOLCHAIN=go1.27.3.
package argocd
