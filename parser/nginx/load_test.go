package nginx

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/parser/ast"
)

const fixtures = "../../fixtures/parse/nginx"

func find(nodes []*ast.Node, match func(*ast.Node) bool) []*ast.Node {
	var out []*ast.Node
	ast.Walk(nodes, func(n *ast.Node) bool {
		if match(n) {
			out = append(out, n)
		}
		return true
	})
	return out
}

func named(name string) func(*ast.Node) bool {
	return func(n *ast.Node) bool { return n.Name == name }
}

func TestLoadSplicesEachSite(t *testing.T) {
	entry := filepath.Join(fixtures, "includes", "nginx.conf")
	cfg := NewLoader(nil, nil).Load(entry, "")
	if len(cfg.Problems) > 0 {
		t.Fatalf("problems: %v", cfg.Problems)
	}
	if cfg.Context != "main" || cfg.Kind != ast.KindNginx {
		t.Errorf("context %q kind %q", cfg.Context, cfg.Kind)
	}
	if len(find(cfg.Nodes, named("include"))) != 0 {
		t.Errorf("include directives left in the tree")
	}
	auth := find(cfg.Nodes, named("auth_basic"))
	if len(auth) != 3 {
		t.Fatalf("auth_basic spliced %d times, want 3", len(auth))
	}
	for i, want := range []string{"/a/", "/b/", "/c/"} {
		n := auth[i]
		if n.Parent == nil || n.Parent.Name != "location" || n.Parent.Arg(0) != want {
			t.Errorf("site %d: parent %v, want location %s", i, n.Parent, want)
		}
		if n.Pos.File != filepath.Join(fixtures, "includes", "snippets", "auth.conf") || n.Pos.Line != 1 || n.Pos.Col != 1 {
			t.Errorf("site %d: pos %v", i, n.Pos)
		}
		inc := n.IncludedFrom
		if inc == nil || inc.Pos.File != entry || inc.Pos.Line != 14+3*i || inc.Pos.Col != 13 {
			t.Errorf("site %d: included from %v", i, inc)
		}
	}
	if auth[0] == auth[1] || auth[0].Parent == auth[1].Parent {
		t.Errorf("sites share nodes")
	}
	// Globs: sorted, hidden files skipped, an empty match is fine.
	var names []string
	for _, s := range find(cfg.Nodes, named("server_name")) {
		names = append(names, s.Arg(0))
	}
	if got := strings.Join(names, " "); got != "a.test b.test inc.test" {
		t.Errorf("server names %q (hidden file or order wrong)", got)
	}
	a := find(cfg.Nodes, named("server"))[0]
	if a.Parent == nil || a.Parent.Name != "http" || a.Pos.Line != 1 || !strings.HasSuffix(a.Pos.File, "conf.d/a.conf") {
		t.Errorf("spliced server %v parent %v", a.Pos, a.Parent)
	}
	if len(cfg.Files) != 4 || cfg.Files[0] != entry {
		t.Errorf("files %v", cfg.Files)
	}
}

func TestLoadCycle(t *testing.T) {
	cfg := NewLoader(nil, nil).Load(filepath.Join(fixtures, "cycle", "nginx.conf"), "")
	var cycles []ast.Problem
	for i := range cfg.Problems {
		if cfg.Problems[i].Code == ast.CodeIncludeCycle {
			cycles = append(cycles, cfg.Problems[i])
		}
	}
	if len(cycles) != 1 {
		t.Fatalf("want one include-cycle, got %v", cfg.Problems)
	}
	c := cycles[0]
	if strings.Count(c.Message, " -> ") != 3 || !strings.Contains(c.Message, "nginx.conf -> ") {
		t.Errorf("cycle message %q does not show nginx.conf -> a.conf -> b.conf -> a.conf", c.Message)
	}
	if !strings.HasSuffix(c.Pos.File, "b.conf") || c.Pos.Line != 1 || len(c.Related) != 2 {
		t.Errorf("cycle reported at %v with related %v", c.Pos, c.Related)
	}
	if n := len(find(cfg.Nodes, named("server_tokens"))); n != 1 {
		t.Errorf("server_tokens spliced %d times", n)
	}
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadMissingAndBrokenIncludes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"nginx.conf": "events {}\nhttp {\n    include missing.conf;\n    include nothing/*.conf;\n" +
			"    server { location /a { include bad.conf; } location /b { include bad.conf; } }\n}\n",
		"bad.conf": "deny all;\n}\nallow all;\n",
	})
	cfg := NewLoader(nil, nil).Load(filepath.Join(dir, "nginx.conf"), "")
	var got []string
	for i := range cfg.Problems {
		p := &cfg.Problems[i]
		got = append(got, p.Code+"@"+filepath.Base(p.Pos.File)+":"+strconv.Itoa(p.Pos.Line))
	}
	want := "include-not-found@nginx.conf:3 parse-error@bad.conf:2"
	if strings.Join(got, " ") != want {
		t.Fatalf("problems %v, want %s", cfg.Problems, want)
	}
	// Content after the stray brace is still there, at both sites.
	if n := len(find(cfg.Nodes, named("allow"))); n != 2 {
		t.Errorf("allow spliced %d times", n)
	}
}

func TestLoadDebianTree(t *testing.T) {
	root, err := filepath.Abs(filepath.Join(fixtures, "debian"))
	if err != nil {
		t.Fatal(err)
	}
	entry := filepath.Join(root, "etc", "nginx", "nginx.conf")
	cfg := NewLoader(&paths.Resolver{Sysroot: root}, nil).Load(entry, "")
	if len(cfg.Problems) > 0 {
		t.Fatalf("problems: %v", cfg.Problems)
	}
	servers := find(cfg.Nodes, func(n *ast.Node) bool { return n.Name == "server" && n.Block })
	if len(servers) != 1 {
		t.Fatalf("want the default server, got %d servers", len(servers))
	}
	s := servers[0]
	if s.Parent == nil || s.Parent.Name != "http" || s.IncludedFrom == nil || s.IncludedFrom.Arg(0) != "/etc/nginx/sites-enabled/*" {
		t.Fatalf("default server not spliced under http: parent %v from %v", s.Parent, s.IncludedFrom)
	}
	if !strings.HasPrefix(s.Pos.File, root) {
		t.Errorf("default server read from %s, not from the sysroot", s.Pos.File)
	}
	if len(find(cfg.Nodes, named("types"))) != 1 {
		t.Errorf("mime.types not spliced")
	}
}

func TestLoadLiveEtcNginx(t *testing.T) {
	const entry = "/etc/nginx/nginx.conf"
	if _, err := os.Stat(entry); err != nil {
		t.Skip("no /etc/nginx/nginx.conf on this machine")
	}
	cfg := NewLoader(nil, nil).Load(entry, "")
	if len(cfg.Problems) > 0 {
		t.Fatalf("problems: %v", cfg.Problems)
	}
	if len(find(cfg.Nodes, named("http"))) != 1 {
		t.Fatalf("no http block")
	}
}

func TestLoadUsesReadFunc(t *testing.T) {
	files := map[string]string{
		"/virtual/site.conf": "server {\n    include /virtual/snip.conf;\n}\n",
		"/virtual/snip.conf": "listen 8080;\n",
	}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	l := NewLoader(&paths.Resolver{Exists: func(string) bool { return true }}, read)
	cfg := l.Load("/virtual/site.conf", "")
	if len(cfg.Problems) > 0 || cfg.Context != "http" || l.Prefix(cfg) != "/virtual" {
		t.Fatalf("problems %v context %q prefix %q", cfg.Problems, cfg.Context, l.Prefix(cfg))
	}
	listen := find(cfg.Nodes, named("listen"))
	if len(listen) != 1 || listen[0].Parent.Name != "server" || listen[0].Pos.File != "/virtual/snip.conf" {
		t.Fatalf("listen %v", listen)
	}
}

func TestInferContext(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"x/nginx.conf", "", "main"},
		{"a.conf", "events {}\n", "main"},
		{"a.conf", "worker_processes 2;\n", "main"},
		{"a.conf", "server { listen 80; }\n", "http"},
		{"a.conf", "map $a $b { default 0; }\n", "http"},
		{"a.conf", "location / { }\n", "server"},
		{"a.conf", "listen 80;\nserver_name x;\n", "server"},
		{"a.conf", "server 10.0.0.1;\n", "http"},
		{"a.conf", "auth_basic x;\n", "http"},
	}
	for _, c := range cases {
		f, _ := Parse(c.name, []byte(c.src))
		if got := inferContext(c.name, f.Nodes); got != c.want {
			t.Errorf("%s %q: context %q, want %q", c.name, c.src, got, c.want)
		}
	}
}

func TestGlobLikeNginx(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"c.conf": "", "a.conf": "", "b.conf": "", ".h.conf": "", "sub/x.conf": "", ".hd/y.conf": "", "d.conf/z": "",
	})
	cases := map[string]string{
		"*.conf":      "a.conf b.conf c.conf", // sorted, hidden and directories skipped
		"[!b]*.conf":  "a.conf c.conf",
		".*.conf":     ".h.conf", // a literal dot matches hidden names
		"*/*.conf":    "sub/x.conf",
		".hd/*.conf":  ".hd/y.conf",
		"nothing*":    "",
		"?.conf":      "a.conf b.conf c.conf",
		"sub/x.conf":  "sub/x.conf",
		"sub/[xy].co": "",
	}
	for pattern, want := range cases {
		var got []string
		for _, m := range glob(filepath.Join(dir, pattern)) {
			rel, _ := filepath.Rel(dir, m)
			got = append(got, rel)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("glob %q = %v, want %q", pattern, got, want)
		}
	}
}

func TestLoadFragmentUsesConfDirAbove(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"nginx.conf":                "events {}\nhttp { include sites-enabled/*; }\n",
		"sites-available/site.conf": "server {\n    include snippets/auth.conf;\n}\n",
		"snippets/auth.conf":        "auth_basic \"x\";\n",
		"lone/deeper/a/b/frag.conf": "location / { include x.conf; }\n",
		"lone/deeper/a/b/x.conf":    "deny all;\n",
	})
	l := NewLoader(nil, nil)
	cfg := l.Load(filepath.Join(dir, "sites-available", "site.conf"), "")
	if len(cfg.Problems) > 0 || l.Prefix(cfg) != dir {
		t.Fatalf("problems %v, prefix %q", cfg.Problems, l.Prefix(cfg))
	}
	if n := find(cfg.Nodes, named("auth_basic")); len(n) != 1 || n[0].Parent.Name != "server" {
		t.Fatalf("snippet not spliced: %v", n)
	}
	// Too far below any nginx.conf: the fragment's own directory.
	frag := filepath.Join(dir, "lone", "deeper", "a", "b", "frag.conf")
	cfg = l.Load(frag, "")
	if len(cfg.Problems) > 0 || l.Prefix(cfg) != filepath.Dir(frag) || cfg.Context != "server" {
		t.Fatalf("problems %v, prefix %q, context %q", cfg.Problems, l.Prefix(cfg), cfg.Context)
	}
}

func TestLoadLuaFixture(t *testing.T) {
	cfg := NewLoader(nil, nil).Load(filepath.Join(fixtures, "lua", "nginx.conf"), "")
	if len(cfg.Problems) > 0 {
		t.Fatalf("problems: %v", cfg.Problems)
	}
	lua := find(cfg.Nodes, named("content_by_lua_block"))
	after := find(cfg.Nodes, func(n *ast.Node) bool { return n.Name == "location" && n.Arg(0) == "/after" })
	if len(lua) != 1 || lua[0].Pos.Line != 8 || lua[0].End.Line != 13 || len(after) != 1 || after[0].Pos.Line != 15 {
		t.Fatalf("lua %v, after %v", lua, after)
	}
	if !strings.Contains(lua[0].Arg(0), `local s = "not a block {"`) {
		t.Errorf("lua code %q", lua[0].Arg(0))
	}
}
