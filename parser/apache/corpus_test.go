package apache

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

const corpus = "../../../shared/corpus"

// brokenCorpusFiles are corpus files that are broken as Apache reads them,
// with the reason; a parse-error in any other file is a bug in this parser.
var brokenCorpusFiles = map[string]string{
	// httpd's own test of mod_macro error handling ("bad directive closing"):
	// apache2 -t reports the same error at the same line.
	"apache__httpd/modules/core/test/conf/test58.conf": "<Macro foo without its closing '>'",
	// httpd's "bad but good nesting" mod_macro test: the macro body is
	// `</Directory>` and `Use foo` closes the <Directory> opened on line 7.
	// authlint reads a macro body as a whole (sections must nest inside
	// it), so the <Directory> looks unclosed.
	"apache__httpd/modules/core/test/conf/test17.conf": "a <Directory> closed by a macro expansion",
	// `ErrorDocument 404 "The requested file ... was not found.` on lines
	// 81 and 85: an opening quote without a closing one, Apache 1.3 style.
	// httpd 2.4 does not fail (it takes the rest of the line as the
	// argument), but the quoting is malformed, and that is what we report.
}

// brokenWhenLoaded are corpus files that parse but fail as httpd reads
// them with their includes and macros; Load must report each.
var brokenWhenLoaded = map[string]string{
	// httpd's mod_macro tests of error handling; apache2 -t fails on each.
	"apache__httpd/modules/core/test/conf/test01.conf": "<Macro> without a name",
	"apache__httpd/modules/core/test/conf/test05.conf": "Use with fewer arguments than the macro takes",
	"apache__httpd/modules/core/test/conf/test09.conf": "a macro that uses itself",
}

// corpusFiles lists the Apache and .htaccess files of the corpus with their
// kind, from SOURCES.tsv (column 5).
func corpusFiles(t *testing.T) map[string]ast.Kind {
	t.Helper()
	f, err := os.Open(filepath.Join(corpus, "SOURCES.tsv"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("corpus not present at " + corpus + ": skipping the real-config robustness test")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]ast.Kind{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 {
			continue
		}
		if kind := ast.Kind(cols[4]); kind == ast.KindApache || kind == ast.KindHtaccess {
			out[cols[0]] = kind
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	if len(files) == 0 {
		t.Fatal("no Apache files listed in SOURCES.tsv")
	}
	for name, kind := range files {
		src, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		f, probs := Parse(name, src, kind)
		if f == nil {
			t.Errorf("%s: nil file", name)
			continue
		}
		reason, broken := brokenCorpusFiles[name]
		if broken && len(probs) == 0 {
			t.Errorf("%s is listed as broken (%s) but parses cleanly", name, reason)
		}
		if !broken {
			for _, p := range probs {
				t.Errorf("%s (%s)", p.String(), kind)
			}
		}
	}
}

// TestCorpusLoad loads every corpus file as an entry: includes that are not
// in the corpus are reported as such, and nothing else may go wrong.
func TestCorpusLoad(t *testing.T) {
	files := corpusFiles(t)
	l := NewLoader(nil, nil)
	for name, kind := range files {
		context := "server"
		if kind == ast.KindHtaccess {
			context = "htaccess"
		}
		cfg := l.Load(filepath.Join(corpus, name), context)
		if len(cfg.Files) == 0 || cfg.Kind != kind {
			t.Errorf("%s: kind %s, files %q", name, cfg.Kind, cfg.Files)
		}
		if reason, broken := brokenWhenLoaded[name]; broken {
			if len(cfg.Problems) == 0 {
				t.Errorf("%s is listed as broken when loaded (%s) but loads cleanly", name, reason)
			}
			continue
		}
		for _, p := range cfg.Problems {
			switch {
			case strings.Contains(p.Message, "internal error"):
				t.Errorf("%s: %s", name, p.String())
			case p.Code == ast.CodeParseError:
				if _, broken := brokenCorpusFiles[relCorpus(t, p.Pos.File)]; !broken {
					t.Errorf("%s: %s", name, p.String())
				}
			}
		}
	}
}

func relCorpus(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.Rel(corpus, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}
