package hooks

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWithAppSyncOptions(t *testing.T) {
	assert.Equal(t, []string{"Replace=true", "PruneLast=true"}, WithAppSyncOptions([]string{"Replace=true"}, []string{"PruneLast=true", "Replace=true"}))
	assert.Equal(t, []string{"ServerSideApply=false"}, WithAppSyncOptions([]string{"ServerSideApply=false"}, []string{"ServerSideApply=true"}),
		"the resource's own item for the option wins")
	assert.Equal(t, []string{"CreateNamespace=true"}, WithAppSyncOptions(nil, []string{" CreateNamespace=true ", ""}))
	assert.Equal(t, []string{"Force=true"}, WithAppSyncOptions([]string{"Force=true"}, nil))
}
