package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
)

func TestParseValid(t *testing.T) {
	src := `exclude: ["vendor/**", "*.bak"]
rules:
  parse-error: warning
  file-skipped: "off"
roots:
  /etc/nginx: deploy/nginx
fail-on: error
policy:
  public: ["/", "/assets/**"]
  protected: ["/admin/**"]
  servers:
    api.example.com:
      protected: ["/**"]
`
	f, err := Parse("/repo/.authlint.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Exclude) != 2 || f.Rules["parse-error"] != "warning" || f.Rules["file-skipped"] != "off" || f.FailOn != "error" {
		t.Fatalf("decoded %+v", f)
	}
	m := f.Mappings()
	if len(m) != 1 || m[0].Prefix != "/etc/nginx" || m[0].Dir != "/repo/deploy/nginx" {
		t.Fatalf("mappings %+v", m)
	}
	if got := f.Policy.Servers["api.example.com"].Protected; len(got) != 1 || got[0] != "/**" {
		t.Fatalf("policy %+v", f.Policy)
	}
}

func TestParseErrors(t *testing.T) {
	if _, ok := rules.Lookup("parse-error"); !ok {
		t.Fatal("built-in rules not registered")
	}
	for _, tc := range []struct{ name, src, want string }{
		{"unknown key", "exclude: []\nexclud: [x]\n", "line 2"},
		{"wrong type", "fail-on: [error]\n", "line 1"},
		{"unknown policy key", "policy:\n  publik: [/]\n", "line 2"},
		{"bad severity", "rules:\n  parse-error: fatal\n", "unknown severity"},
		{"unknown rule", "rules:\n  no-such-rule: error\n", "unknown rule id"},
		{"bad fail-on", "fail-on: sometimes\n", "fail-on"},
		{"relative root", "roots:\n  etc/nginx: x\n", "not an absolute path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "c.yaml: ") {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	if _, err := Parse("c.yaml", nil); err != nil {
		t.Fatal(err)
	}
}

func TestFindStopsAtRepoRoot(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	deep := filepath.Join(repo, "a", "b")
	if err := os.MkdirAll(deep, 0o750); err != nil {
		t.Fatal(err)
	}
	// A config above the repository root must not be picked up.
	if err := os.WriteFile(filepath.Join(top, FileName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o750); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != "" {
		t.Fatalf("Find = %q, want none", got)
	}
	want := filepath.Join(repo, "a", FileName)
	if err := os.WriteFile(want, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep); got != want {
		t.Fatalf("Find = %q, want %q", got, want)
	}
}
