// Command hookguard lints Argo CD sync hooks and, as a Config Management
// Plugin, renders and gates an app's manifests.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr))
}
