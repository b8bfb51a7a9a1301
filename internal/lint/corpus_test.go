package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
)

// corpusDir is the shared collection of real public configs (see its
// README); it exists on this workplace's machines and CI only.
const corpusDir = "../../../shared/corpus"

// TestCorpusWholePipeline runs the whole pipeline, every rule included,
// over each repository of the corpus: no panic, no rule failing on real
// input. (Parse errors are checked per parser, with the list of really
// broken files.)
func TestCorpusWholePipeline(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("no corpus at %s (it exists only on this workplace's machines): %v", corpusDir, err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(corpusDir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			res, err := Run(Options{Paths: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Files) == 0 {
				t.Fatal("no file read")
			}
			for _, f := range res.Findings {
				if strings.Contains(f.Message, rules.InternalError) || strings.Contains(f.Message, "internal error") {
					t.Errorf("%s: %s", f.Pos, f.Message)
				}
			}
		})
	}
}
