package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/authlint/authlint/parser/ast"
	"github.com/authlint/authlint/rules"
)

// sources serves file contents from a map, as the CLI's cache would.
func sources(files map[string]string) func(string) []byte {
	return func(path string) []byte {
		if s, ok := files[path]; ok {
			return []byte(s)
		}
		return nil
	}
}

func pos(file string, line, col int) ast.Pos { return ast.Pos{File: file, Line: line, Col: col} }

func TestText(t *testing.T) {
	src := map[string]string{
		"/w/conf/site.conf": "server {\n    location /admin {\n        root /srv;\n    }\n}\n",
		"/w/utf8.conf":      "# ü\n\tadd_header X-Ünï \"wörld\";\n",
		"/w/crlf.conf":      "a;\r\nlisten 80;\r\n",
		"/w/short.conf":     "deny all;\n",
	}
	tests := []struct {
		name string
		f    rules.Finding
		want string
	}{
		{
			name: "caret spans to End, hint, related, path made relative",
			f: rules.Finding{
				Rule: "loc-no-auth", Severity: rules.Error,
				Pos: pos("/w/conf/site.conf", 2, 5), End: pos("/w/conf/site.conf", 2, 12),
				Message: "GET /admin is served without auth", Hint: "add auth_basic",
				Related: []rules.Related{{Pos: pos("/w/conf/site.conf", 1, 1), Message: "server starts here"}},
			},
			want: "conf/site.conf:2:5: error: GET /admin is served without auth [loc-no-auth]\n" +
				"  2 |     location /admin {\n" +
				"    |     ^^^^^^^^\n" +
				"  hint: add auth_basic\n" +
				"    conf/site.conf:1:1: server starts here\n",
		},
		{
			name: "no column: line only, snippet without caret",
			f:    rules.Finding{Rule: "r", Severity: rules.Warning, Pos: pos("/w/conf/site.conf", 3, 0), Message: "m"},
			want: "conf/site.conf:3: warning: m [r]\n" +
				"  3 |         root /srv;\n",
		},
		{
			name: "no line: file only, no snippet",
			f:    rules.Finding{Rule: "r", Severity: rules.Info, Pos: ast.Pos{File: "/w/conf/site.conf"}, Message: "m"},
			want: "conf/site.conf: info: m [r]\n",
		},
		{
			name: "UTF-8 and a tab before the caret",
			f: rules.Finding{
				Rule: "r", Severity: rules.Error,
				Pos: pos("/w/utf8.conf", 2, 19), End: pos("/w/utf8.conf", 2, 25), Message: "m",
			},
			want: "utf8.conf:2:19: error: m [r]\n" +
				"  2 | \tadd_header X-Ünï \"wörld\";\n" +
				"    | \t" + strings.Repeat(" ", 17) + "^^^^^^^\n",
		},
		{
			name: "CRLF source: no carriage return in the snippet",
			f: rules.Finding{
				Rule: "r", Severity: rules.Error,
				Pos: pos("/w/crlf.conf", 2, 1), End: pos("/w/crlf.conf", 2, 6), Message: "m",
			},
			want: "crlf.conf:2:1: error: m [r]\n" +
				"  2 | listen 80;\n" +
				"    | ^^^^^^\n",
		},
		{
			name: "End past the end of the line is clamped; End on another line gives one caret",
			f: rules.Finding{
				Rule: "r", Severity: rules.Error,
				Pos: pos("/w/short.conf", 1, 6), End: pos("/w/short.conf", 1, 40), Message: "m",
			},
			want: "short.conf:1:6: error: m [r]\n" +
				"  1 | deny all;\n" +
				"    |      ^^^^\n",
		},
		{
			name: "multi-line span",
			f: rules.Finding{
				Rule: "r", Severity: rules.Error,
				Pos: pos("/w/conf/site.conf", 2, 5), End: pos("/w/conf/site.conf", 4, 5), Message: "m",
			},
			want: "conf/site.conf:2:5: error: m [r]\n" +
				"  2 |     location /admin {\n" +
				"    |     ^\n",
		},
		{
			name: "line beyond the file and a path outside WorkDir: no snippet, path kept",
			f:    rules.Finding{Rule: "r", Severity: rules.Error, Pos: pos("/elsewhere/x.conf", 9, 1), Message: "m"},
			want: "/elsewhere/x.conf:9:1: error: m [r]\n",
		},
		{
			name: "unknown source line number beyond a known file",
			f:    rules.Finding{Rule: "r", Severity: rules.Error, Pos: pos("/w/short.conf", 7, 1), Message: "m"},
			want: "short.conf:7:1: error: m [r]\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Text(&b, []rules.Finding{tt.f}, Options{WorkDir: "/w", Source: sources(src)}); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
}

func TestTextNoSource(t *testing.T) {
	f := []rules.Finding{{Rule: "r", Severity: rules.Error, Pos: pos("a.conf", 1, 1), Message: "m"}}
	for _, src := range []func(string) []byte{nil, func(string) []byte { return nil }} {
		var b bytes.Buffer
		if err := Text(&b, f, Options{Source: src}); err != nil {
			t.Fatal(err)
		}
		if want := "a.conf:1:1: error: m [r]\n"; b.String() != want {
			t.Errorf("got %q, want %q", b.String(), want)
		}
	}
}

func TestTextColor(t *testing.T) {
	tests := []struct {
		sev  rules.Severity
		want string
	}{
		{rules.Error, "a.conf:1:2: \x1b[1;31merror\x1b[0m: m \x1b[2m[r]\x1b[0m\n"},
		{rules.Warning, "a.conf:1:2: \x1b[33mwarning\x1b[0m: m \x1b[2m[r]\x1b[0m\n"},
		{rules.Info, "a.conf:1:2: \x1b[36minfo\x1b[0m: m \x1b[2m[r]\x1b[0m\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		f := []rules.Finding{{Rule: "r", Severity: tt.sev, Pos: pos("a.conf", 1, 2), Message: "m"}}
		if err := Text(&b, f, Options{Color: true}); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("%v: got %q, want %q", tt.sev, b.String(), tt.want)
		}
	}
}

// TestTextInjection feeds workflow commands through every field that can
// carry config text: the source line, the message, the hint, a related
// message and the file name.
func TestTextInjection(t *testing.T) {
	src := map[string]string{
		"::warning::x.conf": "::error file=a::pwned\n  ##[set-output name=x]y;\n",
	}
	f := []rules.Finding{
		{
			Rule: "r", Severity: rules.Error, Pos: pos("::warning::x.conf", 1, 1), End: pos("::warning::x.conf", 1, 2),
			Message: "quoted ##[add-mask]secret\n::error::second line\r\x1b[31m",
			Hint:    "hint ##[group]",
			Related: []rules.Related{{Pos: pos("::warning::x.conf", 2, 3), Message: "rel ##[endgroup]"}},
		},
		{Rule: "r", Severity: rules.Warning, Pos: pos("::warning::x.conf", 2, 3), Message: "m"},
	}
	j := "\u200d"
	want := ":" + j + ":warning::x.conf:1:1: error: quoted #" + j + "#[add-mask]secret\\n::error::second line\\r\uFFFD[31m [r]\n" +
		"  1 | ::error file=a::pwned\n" +
		"    | ^^\n" +
		"  hint: hint #" + j + "#[group]\n" +
		"    :" + j + ":warning::x.conf:2:3: rel #" + j + "#[endgroup]\n" +
		":" + j + ":warning::x.conf:2:3: warning: m [r]\n" +
		"  2 |   #" + j + "#[set-output name=x]y;\n" +
		"    |   ^\n"
	var b bytes.Buffer
	if err := Text(&b, f, Options{Source: sources(src)}); err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
	assertInert(t, b.String())
}

// assertInert checks the runner's two command syntaxes against every line.
func assertInert(t *testing.T, out string) {
	t.Helper()
	for _, line := range strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
			t.Errorf("line starts with a workflow command: %q", line)
		}
		if strings.Contains(line, "##[") {
			t.Errorf("line contains a legacy workflow command: %q", line)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("::error::x", "##[group]", "a.conf", 1, 1, 3)
	f.Add("\tü\r\n::x", "m\n::error::y", "::b", 2, 0, 0)
	f.Fuzz(func(t *testing.T, source, message, file string, line, col, endCol int) {
		fs := []rules.Finding{{
			Rule: "r", Severity: rules.Warning, Pos: ast.Pos{File: file, Line: line, Col: col},
			End: ast.Pos{File: file, Line: line, Col: endCol}, Message: message, Hint: message,
			Related: []rules.Related{{Pos: ast.Pos{File: file, Line: line}, Message: message}},
		}}
		var b bytes.Buffer
		if err := Text(&b, fs, Options{Source: func(string) []byte { return []byte(source) }}); err != nil {
			t.Fatal(err)
		}
		assertInert(t, b.String())
	})
}
