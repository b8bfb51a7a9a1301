package authlint_test

import (
	"os"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
)

// TestReadmeListsEveryRule keeps the README's rule table in step with the
// registry.
func TestReadmeListsEveryRule(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, r := range rules.All() {
		row := "| `" + r.ID + "` | " + r.Severity.String() + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README rule table lacks the row for %s (want it to start with %q)", r.ID, row)
		}
	}
}
