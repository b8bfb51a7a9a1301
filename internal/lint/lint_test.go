package lint

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/testtree"

	"github.com/authlint/authlint/parser/ast"
)

// entries returns the entry file of each config, relative to dir.
func entries(t *testing.T, dir string, res *Result) []string {
	t.Helper()
	var out []string
	for _, c := range res.Configs {
		rel, err := filepath.Rel(dir, c.Entry)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(rel)+" ("+c.Context+")")
	}
	slices.Sort(out)
	return out
}

func TestIncludedFilesAreNotEntries(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"nginx/nginx.conf":              "events {}\nhttp {\n    include conf.d/*.conf;\n}\n",
		"nginx/conf.d/site.conf":        "server {\n    listen 80;\n    include snippets/loc.conf;\n}\n",
		"nginx/snippets/loc.conf":       "location /x/ {\n}\n",
		"nginx/snippets/lone.conf":      "location /lone/ {\n    return 204;\n}\n",
		"nginx/sites-available/extra":   "server {\n    listen 81;\n}\n",
		"nginx/mutual/a.conf":           "server {\n    listen 82;\n    include mutual/b.conf;\n}\n",
		"nginx/mutual/b.conf":           "include mutual/a.conf;\n",
		"apache2/apache2.conf":          "ServerRoot .\nInclude sites-enabled/*.conf\n",
		"apache2/sites-enabled/a.conf":  "<VirtualHost *:80>\n    ServerName a\n</VirtualHost>\n",
		"apache2/conf-available/x.conf": "<Directory /srv>\n    Require all granted\n</Directory>\n",
		"www/.htaccess":                 "Require all granted\n",
	})
	res, err := Run(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	got := entries(t, dir, res)
	want := []string{
		"apache2/apache2.conf (server)",
		"apache2/conf-available/x.conf (server)",
		"nginx/mutual/a.conf (http)",
		"nginx/nginx.conf (main)",
		"nginx/sites-available/extra (http)",
		"nginx/snippets/lone.conf (server)",
		"www/.htaccess (htaccess)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("entries\n got %q\nwant %q", got, want)
	}
	// The snippet included from site.conf is spliced under its server.
	for _, c := range res.Configs {
		if filepath.Base(c.Entry) != "nginx.conf" {
			continue
		}
		found := false
		ast.Walk(c.Nodes, func(n *ast.Node) bool {
			if n.Is("location") && n.Arg(0) == "/x/" {
				found = n.Parent != nil && n.Parent.Is("server") && n.IncludedFrom != nil
			}
			return true
		})
		if !found {
			t.Fatal("snippets/loc.conf not spliced under its server")
		}
	}
	var kinds []string
	for _, f := range res.Files {
		kinds = append(kinds, string(f.Kind))
	}
	if !slices.Contains(kinds, "htaccess") || !slices.Contains(kinds, "apache") || !slices.Contains(kinds, "nginx") {
		t.Fatalf("file kinds %v", kinds)
	}
}

func TestParseErrorInSharedSnippetReportedOnce(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"nginx.conf": "events {}\nhttp {\n    server {\n        include snip.conf;\n    }\n    server {\n        include snip.conf;\n    }\n}\n",
		"snip.conf":  "location / {\n    root html\n}\n",
	})
	res, err := Run(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, f := range res.Findings {
		if f.Rule == ast.CodeParseError {
			n++
			if filepath.Base(f.Pos.File) != "snip.conf" || f.Pos.Line != 3 {
				t.Errorf("parse error at %s", f.Pos)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d parse errors, want 1: %+v", n, res.Findings)
	}
}

func TestAccessFileName(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"apache2/apache2.conf": "AccessFileName .acl\n",
		"www/.acl":             "AuthType Basic\n",
	})
	res, err := Run(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(t, dir, res); !slices.Contains(got, "www/.acl (htaccess)") {
		t.Fatalf("AccessFileName file not linted: %q", got)
	}
}

func TestStdinAndMissingPath(t *testing.T) {
	res, err := Run(Options{Paths: []string{"-"}, Stdin: strings.NewReader("server {\n    listen 80\n}\n"), StdinFilename: "site.conf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Pos.File != "site.conf" || res.Findings[0].Pos.Line != 3 {
		t.Fatalf("findings %+v", res.Findings)
	}
	if len(res.Source("site.conf")) == 0 {
		t.Fatal("stdin source not kept for the snippet")
	}
	if _, err := Run(Options{Paths: []string{filepath.Join(t.TempDir(), "nope")}}); err == nil {
		t.Fatal("a missing path must be an error")
	}
}

func TestSysrootTree(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"etc/nginx/nginx.conf":       "events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n",
		"etc/nginx/conf.d/site.conf": "server {\n    listen 80\n}\n",
	})
	res, err := Run(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || filepath.Base(res.Findings[0].Pos.File) != "site.conf" {
		t.Fatalf("the absolute include must resolve inside the tree: %+v", res.Findings)
	}
}

// TestCycleReachedFromEntry: a cycle below nginx.conf is linted through
// nginx.conf only and reported once.
func TestCycleReachedFromEntry(t *testing.T) {
	dir := testtree.Write(t, map[string]string{
		"nginx.conf":   "events {}\nhttp {\n    include cycle/a.conf;\n}\n",
		"cycle/a.conf": "include cycle/b.conf;\n",
		"cycle/b.conf": "include cycle/a.conf;\n",
	})
	res, err := Run(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(t, dir, res); !slices.Equal(got, []string{"nginx.conf (main)"}) {
		t.Fatalf("entries %q", got)
	}
	n := 0
	for _, f := range res.Findings {
		if f.Rule == ast.CodeIncludeCycle {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d include-cycle findings, want 1: %+v", n, res.Findings)
	}
}
