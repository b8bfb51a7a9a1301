package nginx

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

const corpusDir = "/work/shared/corpus"

// corpusBroken lists corpus files that nginx itself cannot read, with the
// reason; every other nginx file of the corpus must parse cleanly.
var corpusBroken = map[string]string{
	"linuxserver__reverse-proxy-confs/_template.subdomain.conf.sample": "template placeholder `set $upstream_proto <http or https>;` gives set four arguments",
	"linuxserver__reverse-proxy-confs/_template.subfolder.conf.sample": "template placeholder `set $upstream_proto <http or https>;` gives set four arguments",
}

func TestCorpus(t *testing.T) {
	f, err := os.Open(filepath.Join(corpusDir, "SOURCES.tsv"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[4] != "nginx" {
			continue
		}
		rel := cols[0]
		src, err := os.ReadFile(filepath.Join(corpusDir, rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		n++
		_, problems := Parse(rel, src)
		var parseErrors []ast.Problem
		for i := range problems {
			if problems[i].Code == ast.CodeParseError {
				parseErrors = append(parseErrors, problems[i])
			}
		}
		reason, broken := corpusBroken[rel]
		switch {
		case broken && len(parseErrors) == 0:
			t.Errorf("%s is listed as broken (%s) but parses cleanly", rel, reason)
		case !broken && len(parseErrors) > 0:
			t.Errorf("%s: %v", rel, parseErrors)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no nginx files in the corpus index")
	}
	t.Logf("%d nginx files parsed", n)
}
