package apache

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

// randomConfig builds a small file of section tags, directives, comments
// and continuations that may or may not nest correctly.
func randomConfig(r *rand.Rand) string {
	names := []string{"Directory", "Files", "Location", "directory", "FILES"}
	args := map[string]string{"directory": "/x", "files": "a", "location": "/l"}
	var lines []string
	for range 1 + r.IntN(12) {
		name := names[r.IntN(len(names))]
		switch r.IntN(8) {
		case 0, 1:
			lines = append(lines, "<"+name+" "+args[strings.ToLower(name)]+">")
		case 2, 3:
			lines = append(lines, "</"+name+">")
		case 4:
			lines = append(lines, "  Options None")
		case 5:
			lines = append(lines, "# comment")
		case 6:
			lines = append(lines, "# comment swallowing the next line \\")
		default:
			lines = append(lines, "ServerAdmin a\\", "  b", "")
		}
	}
	eol := "\n"
	if r.IntN(3) == 0 {
		eol = "\r\n"
	}
	return strings.Join(lines, eol) + eol
}

// TestApacheDifferential runs apache2 -t (reading only: no MPM is loaded)
// on random section structures and checks that Parse reports the first
// error Apache reports, with Apache's words, on Apache's line.
func TestApacheDifferential(t *testing.T) {
	bin := apacheBinary(t)
	r := rand.New(rand.NewPCG(2026, 11))
	dir := t.TempDir()
	entry := filepath.Join(dir, "r.conf")
	for i := range 60 {
		src := randomConfig(r)
		if err := os.WriteFile(entry, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		out := apacheTest(t, bin, entry, dir, nil)
		_, probs := Parse(entry, []byte(src), ast.KindApache)
		_, line, msg, failed := innermostError(out)
		if !failed {
			if !strings.Contains(out, "No MPM loaded") {
				t.Fatalf("case %d: apache2 -t stopped for another reason:\n%s", i, out)
			}
			if len(probs) != 0 {
				t.Errorf("case %d: apache2 -t reads it, we report %q\n%s", i, problemLines(probs), src)
			}
			continue
		}
		if len(probs) == 0 {
			t.Errorf("case %d: apache2 -t: line %d: %s; we report nothing\n%s", i, line, msg, src)
			continue
		}
		// Apache stops at the first error; at the end of the file it names
		// the outermost section left open.
		first := probs[0]
		if strings.HasSuffix(first.Message, "was not closed.") {
			first = probs[len(probs)-1]
		}
		if first.Pos.Line != line || !strings.Contains(msg, first.Message) {
			t.Errorf("case %d: apache2 -t: line %d: %s\nours: %q\n%s", i, line, msg, problemLines(probs), src)
		}
	}
}
