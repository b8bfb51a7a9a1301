package baseline

import (
	"path/filepath"
	"testing"

	"github.com/authlint/authlint/parser/ast"
	"github.com/authlint/authlint/rules"
)

func TestRoundTrip(t *testing.T) {
	src := map[string]string{"a.conf": "server {\n    auth_basic  \"x\";\n}\n"}
	k := Keyer{Path: func(f string) string { return f }, Source: func(f string) []byte { return []byte(src[f]) }}
	old := []rules.Finding{{Rule: "site-wide-auth", Pos: ast.Pos{File: "a.conf", Line: 2, Col: 5}}}
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := Write(path, old, k); err != nil {
		t.Fatal(err)
	}
	b, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := b.New(old, k); len(n) != 0 {
		t.Fatalf("known findings reported as new: %+v", n)
	}
	// Lines added above the directive, and whitespace changes, keep it known.
	src["a.conf"] = "# new comment\n\nserver {\n    auth_basic \"x\";\n}\n"
	moved := []rules.Finding{{Rule: "site-wide-auth", Pos: ast.Pos{File: "a.conf", Line: 4, Col: 5}}}
	if n := b.New(moved, k); len(n) != 0 {
		t.Fatalf("a moved finding is not new: %+v", n)
	}
	// A second copy of the same problem, another rule, or an edited
	// directive is new.
	src["a.conf"] = "server {\n    auth_basic \"x\";\n    auth_basic \"x\";\n    auth_basic \"y\";\n}\n"
	now := []rules.Finding{
		{Rule: "site-wide-auth", Pos: ast.Pos{File: "a.conf", Line: 2}},
		{Rule: "site-wide-auth", Pos: ast.Pos{File: "a.conf", Line: 3}},
		{Rule: "site-wide-auth", Pos: ast.Pos{File: "a.conf", Line: 4}},
		{Rule: "nginx-auth-basic-no-user-file", Pos: ast.Pos{File: "a.conf", Line: 2}},
	}
	if n := b.New(now, k); len(n) != 3 || n[0].Pos.Line != 3 || n[1].Pos.Line != 4 || n[2].Rule != "nginx-auth-basic-no-user-file" {
		t.Fatalf("new = %+v", n)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Read(filepath.Join(dir, "none.json")); err == nil {
		t.Fatal("missing file accepted")
	}
	bad := filepath.Join(dir, "bad.json")
	k := Keyer{Path: func(f string) string { return f }, Source: func(string) []byte { return nil }}
	if err := Write(bad, nil, k); err != nil {
		t.Fatal(err)
	}
	if b, err := Read(bad); err != nil || len(b.counts) != 0 {
		t.Fatalf("empty baseline: %v %v", b, err)
	}
}
