package discover

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

// corpusDir holds real configs from public repositories (never copied into
// this repo); SOURCES.tsv names each file's kind in column 5.
const corpusDir = "../../../shared/corpus"

// TestClassifyCorpus checks the sniffer against every real config in the
// corpus. Paths are given relative to the corpus dir, as SOURCES.tsv has
// them, so the directory the corpus happens to live in cannot help.
func TestClassifyCorpus(t *testing.T) {
	f, err := os.Open(filepath.Join(corpusDir, "SOURCES.tsv"))
	if os.IsNotExist(err) {
		t.Skip("corpus not present at " + corpusDir + "; skipping")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[0] == "path" {
			continue
		}
		rel, want := cols[0], ast.Kind(cols[4])
		content, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(rel)))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		n++
		// Once as the corpus names it, once by its path inside its own
		// repository, as a walk from that repository's root would see it
		// (the corpus folder names carry "apache" or "nginx" and must not
		// be what makes the test pass).
		for _, p := range []string{rel, cols[3]} {
			got, reason, ok := Classify(p, content)
			if !ok || got != want {
				t.Errorf("%s: Classify(%q) = %q ok=%v (%s), want %q", rel, p, got, ok, reason, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Errorf("only %d corpus files read; SOURCES.tsv changed shape?", n)
	}
}
