package rules

import (
	"io/fs"
	"strings"
	"testing"
)

// TestEveryRuleHasDoc keeps the registry and the embedded docs in step:
// every rule has a page that names it and has the four required parts,
// and every page belongs to a rule.
func TestEveryRuleHasDoc(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		seen[r.ID] = true
		if r.Doc == "" {
			t.Errorf("%s: no docs/%s.md", r.ID, r.ID)
			continue
		}
		if !strings.HasPrefix(r.Doc, "# "+r.ID+"\n") {
			t.Errorf("%s: doc does not start with its id as title", r.ID)
		}
		for _, part := range []string{"## Why it matters", "## Bad", "## Good", "## Fix"} {
			if !strings.Contains(r.Doc, part) {
				t.Errorf("%s: doc lacks %q", r.ID, part)
			}
		}
		if r.Summary == "" || r.Severity == 0 || len(r.Servers) == 0 {
			t.Errorf("%s: summary, severity and servers are required", r.ID)
		}
	}
	entries, err := fs.ReadDir(docFiles, "docs")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		id := strings.TrimSuffix(e.Name(), ".md")
		if !seen[id] {
			t.Errorf("docs/%s has no registered rule", e.Name())
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Severity
		ok   bool
	}{
		{"error", Error, true}, {"Warning", Warning, true}, {" info ", Info, true}, {"fatal", 0, false}, {"", 0, false},
	} {
		got, err := ParseSeverity(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseSeverity(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != strings.ToLower(strings.TrimSpace(tc.in)) {
			t.Errorf("String() = %q", got.String())
		}
	}
}

func TestReportDefaults(t *testing.T) {
	r := &Rule{ID: "x-test", Severity: Warning}
	p := &Pass{rule: r}
	p.Report(Finding{Message: "m"})
	p.Report(Finding{Message: "n", Severity: Error})
	if len(p.findings) != 2 || p.findings[0].Rule != "x-test" || p.findings[0].Severity != Warning || p.findings[1].Severity != Error {
		t.Fatalf("findings = %+v", p.findings)
	}
}
