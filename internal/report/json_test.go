package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
	"github.com/authlint/authlint/rules"
)

func TestJSONEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, nil, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"version\": 1,\n  \"findings\": [],\n  \"files\": []\n}\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestJSON(t *testing.T) {
	findings := []rules.Finding{
		{
			Rule: "loc-no-auth", Severity: rules.Error,
			Pos: pos("/w/conf/site.conf", 2, 5), End: pos("/w/conf/site.conf", 4, 5),
			Message: "GET /admin is served without auth", Hint: "add auth_basic",
			Related: []rules.Related{{Pos: pos("/w/nginx.conf", 30, 0), Message: "included from here"}},
		},
		{Rule: "r2", Severity: rules.Warning, Pos: pos("/w/a.conf", 3, 0), Message: "no column <Directory> & ü\t"},
		{Rule: "r3", Severity: rules.Info, Pos: pos("/other/b.conf", 1, 1), Message: "outside"},
	}
	files := []FileEntry{{Path: "/w/conf/site.conf", Kind: ast.KindNginx}, {Path: "/w/.htaccess", Kind: ast.KindHtaccess}}
	var b bytes.Buffer
	if err := JSON(&b, findings, files, Options{WorkDir: "/w", Source: sources(nil)}); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "findings": [
    {
      "rule": "loc-no-auth",
      "severity": "error",
      "file": "conf/site.conf",
      "line": 2,
      "column": 5,
      "endLine": 4,
      "endColumn": 5,
      "message": "GET /admin is served without auth",
      "hint": "add auth_basic",
      "related": [
        {
          "file": "nginx.conf",
          "line": 30,
          "column": 0,
          "message": "included from here"
        }
      ]
    },
    {
      "rule": "r2",
      "severity": "warning",
      "file": "a.conf",
      "line": 3,
      "column": 0,
      "endLine": 3,
      "endColumn": 0,
      "message": "no column <Directory> & ü\t",
      "hint": "",
      "related": []
    },
    {
      "rule": "r3",
      "severity": "info",
      "file": "/other/b.conf",
      "line": 1,
      "column": 1,
      "endLine": 1,
      "endColumn": 1,
      "message": "outside",
      "hint": "",
      "related": []
    }
  ],
  "files": [
    {
      "path": "conf/site.conf",
      "kind": "nginx"
    },
    {
      "path": ".htaccess",
      "kind": "htaccess"
    }
  ]
}
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestJSONInjection checks that `##[` never reaches the output bytes while
// every string decodes back unchanged.
func TestJSONInjection(t *testing.T) {
	msg := "a ##[add-mask]x \\##[y\n::error::z"
	findings := []rules.Finding{{
		Rule: "r", Severity: rules.Error, Pos: pos("##[f].conf", 1, 1), Message: msg, Hint: "###[",
		Related: []rules.Related{{Pos: pos("x", 1, 1), Message: "##["}},
	}}
	var b bytes.Buffer
	if err := JSON(&b, findings, []FileEntry{{Path: "##[f].conf", Kind: ast.KindNginx}}, Options{}); err != nil {
		t.Fatal(err)
	}
	assertInert(t, b.String())
	if !strings.Contains(b.String(), `a #\u0023[add-mask]x`) {
		t.Errorf("expected the escaped form in %s", b.String())
	}
	var doc struct {
		Findings []struct {
			File, Message, Hint string
			Related             []struct{ Message string }
		}
		Files []struct{ Path string }
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b.String())
	}
	got := []string{doc.Findings[0].File, doc.Findings[0].Message, doc.Findings[0].Hint, doc.Findings[0].Related[0].Message, doc.Files[0].Path}
	want := []string{"##[f].conf", msg, "###[", "##[", "##[f].conf"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %q, want %q", got, want)
	}
}

func TestSort(t *testing.T) {
	in := []rules.Finding{
		{Rule: "b", Pos: pos("b.conf", 1, 1), Message: "1"},
		{Rule: "a", Pos: pos("a.conf", 2, 1), Message: "2"},
		{Rule: "b", Pos: pos("a.conf", 1, 5), Message: "3"},
		{Rule: "a", Pos: pos("a.conf", 1, 5), Message: "4"},
		{Rule: "a", Pos: pos("a.conf", 1, 5), Message: "5"},
		{Rule: "z", Pos: pos("a.conf", 1, 0), Message: "6"},
	}
	Sort(in)
	var got []string
	for _, f := range in {
		got = append(got, f.Message)
	}
	if want := []string{"6", "4", "5", "3", "2", "1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestSummary(t *testing.T) {
	mk := func(sevs ...rules.Severity) []rules.Finding {
		var out []rules.Finding
		for _, s := range sevs {
			out = append(out, rules.Finding{Severity: s})
		}
		return out
	}
	tests := []struct {
		in   []rules.Finding
		want string
	}{
		{nil, "no findings"},
		{mk(rules.Error), "1 finding (1 error)"},
		{mk(rules.Warning, rules.Error, rules.Warning), "3 findings (1 error, 2 warnings)"},
		{mk(rules.Info, rules.Info, rules.Warning), "3 findings (1 warning, 2 info)"},
		{mk(rules.Error, rules.Error, rules.Warning, rules.Info), "4 findings (2 errors, 1 warning, 1 info)"},
		{mk(0, rules.Error), "2 findings (1 error, 1 of unknown severity)"},
	}
	for _, tt := range tests {
		if got := Summary(tt.in); got != tt.want {
			t.Errorf("Summary = %q, want %q", got, tt.want)
		}
	}
}
