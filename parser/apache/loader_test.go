package apache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/parser/ast"
)

const fixtures = "../../fixtures/parse/apache"

func fixture(parts ...string) string {
	return filepath.Join(append([]string{fixtures}, parts...)...)
}

// find returns the nodes named name, in tree order.
func find(nodes []*ast.Node, name string) []*ast.Node {
	var out []*ast.Node
	ast.Walk(nodes, func(n *ast.Node) bool {
		if n.Is(name) {
			out = append(out, n)
		}
		return true
	})
	return out
}

func rel(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.Rel(fixtures, p)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(r)
}

func TestLoadSplicesEachSite(t *testing.T) {
	cfg := NewLoader(nil, nil).Load(fixture("splice", "main.conf"), "server")
	if len(cfg.Problems) != 0 {
		t.Fatalf("problems: %q", problemLines(cfg.Problems))
	}
	if cfg.Kind != ast.KindApache || cfg.Context != "server" || cfg.Entry != fixture("splice", "main.conf") {
		t.Errorf("kind %s context %s entry %s", cfg.Kind, cfg.Context, cfg.Entry)
	}
	var files []string
	for _, f := range cfg.Files {
		files = append(files, rel(t, f))
	}
	if want := []string{"splice/main.conf", "splice/common.conf"}; !slices.Equal(files, want) {
		t.Errorf("files = %q, want %q (each file once, entry first)", files, want)
	}
	if len(cfg.Comments) != 2 {
		t.Errorf("comments = %d, want one per file", len(cfg.Comments))
	}

	// Positions stay those of common.conf; each copy has its own site and parent.
	want := "2:1-2:19 Include common.conf@2:9\n" +
		"2:1-2:16 Options -Indexes@2:9\n" +
		"3:1-5:8 Files secret.txt@3:8\n" +
		"  4:5-4:16 Options None@4:13\n" +
		"3:1-6:14 VirtualHost *:80@3:14\n" +
		"  4:5-4:24 ServerName a.example@4:16\n" +
		"  5:5-5:23 Include common.conf@5:13\n" +
		"  2:1-2:16 Options -Indexes@2:9\n" +
		"  3:1-5:8 Files secret.txt@3:8\n" +
		"    4:5-4:16 Options None@4:13\n" +
		"7:1-9:12 Directory /srv@7:12\n" +
		"  8:5-8:23 Include common.conf@8:13\n" +
		"  2:1-2:16 Options -Indexes@2:9\n" +
		"  3:1-5:8 Files secret.txt@3:8\n" +
		"    4:5-4:16 Options None@4:13\n"
	if got := dump(cfg.Nodes); got != want {
		t.Errorf("tree:\n%s\nwant:\n%s", got, want)
	}

	includes := find(cfg.Nodes, "Include")
	files3 := find(cfg.Nodes, "Files")
	if len(includes) != 3 || len(files3) != 3 {
		t.Fatalf("%d includes, %d <Files>, want 3 each", len(includes), len(files3))
	}
	parents := []string{"", "VirtualHost", "Directory"}
	for i, fs := range files3 {
		if fs.IncludedFrom != includes[i] {
			t.Errorf("copy %d: IncludedFrom = %v, want the include at line %d", i, fs.IncludedFrom, includes[i].Pos.Line)
		}
		if fs.Pos.File != fixture("splice", "common.conf") {
			t.Errorf("copy %d: file %s", i, fs.Pos.File)
		}
		parent := ""
		if fs.Parent != nil {
			parent = fs.Parent.Name
		}
		if parent != parents[i] || fs.Parent != includes[i].Parent {
			t.Errorf("copy %d: parent %q, want %q (the include site's parent)", i, parent, parents[i])
		}
		inner := fs.Children[0]
		if inner.Parent != fs || inner.IncludedFrom != nil {
			t.Errorf("copy %d: inner node not owned by its copy", i)
		}
		if chain := inner.IncludeChain(); len(chain) != 1 || chain[0] != includes[i] {
			t.Errorf("copy %d: include chain %v", i, chain)
		}
		for j := range i {
			if files3[j] == fs || files3[j].Children[0] == inner {
				t.Errorf("copies %d and %d share nodes", j, i)
			}
		}
	}
}

func TestLoadGlobs(t *testing.T) {
	var sites []string
	l := NewLoader(nil, nil)
	l.onInclude = func(site *ast.Node, file string) {
		sites = append(sites, site.Arg(0)+" "+rel(t, file))
	}
	cfg := l.Load(fixture("glob", "main.conf"), "server")
	if len(cfg.Problems) != 0 {
		t.Fatalf("problems: %q", problemLines(cfg.Problems))
	}
	want := []string{
		"conf.d/*.conf glob/conf.d/a.conf", // sorted; c.txt and .hidden.conf not matched
		"conf.d/*.conf glob/conf.d/b.conf",
		"dir glob/dir/.h.conf", // a directory: every file, recursively, sorted
		"dir glob/dir/sub/y.conf",
		"dir glob/dir/x.conf",
		"sites/*/site.conf glob/sites/one/site.conf", // middle wildcard: directories only
		"sites/*/site.conf glob/sites/two/site.conf",
	}
	if !slices.Equal(sites, want) {
		t.Errorf("included:\n%s\nwant:\n%s", strings.Join(sites, "\n"), strings.Join(want, "\n"))
	}
	var admins []string
	for _, n := range find(cfg.Nodes, "ServerAdmin") {
		admins = append(admins, n.Arg(0))
		if got := rel(t, n.Pos.File); "glob/"+n.Arg(0) != got {
			t.Errorf("ServerAdmin %s positioned in %s", n.Arg(0), got)
		}
	}
	if len(admins) != len(want) {
		t.Errorf("spliced %q", admins)
	}
}

func TestLoadDefine(t *testing.T) {
	cfg := NewLoader(nil, nil).Load(fixture("define", "main.conf"), "server")
	if len(cfg.Problems) != 0 {
		t.Fatalf("problems: %q", problemLines(cfg.Problems))
	}
	cases := []struct {
		name string
		want []string
	}{
		{"ServerName", []string{"www.example.com"}},
		{"DocumentRoot", []string{"/srv/my site"}},         // quoted: stays one argument
		{"ServerAdmin", []string{"${UNDEFINED}"}},          // unknown: kept literally, no problem
		{"Include", []string{"conf-example.conf"}},         // substituted before resolving
		{"Options", []string{"FollowSymLinks", "Indexes"}}, // unquoted: split like httpd
		{"ServerAlias", []string{"${SITE}"}},               // after UnDefine
	}
	for _, tc := range cases {
		nodes := find(cfg.Nodes, tc.name)
		if len(nodes) == 0 {
			t.Errorf("%s missing", tc.name)
			continue
		}
		if got := nodes[0].Values(); !slices.Equal(got, tc.want) {
			t.Errorf("%s = %q, want %q", tc.name, got, tc.want)
		}
	}
	admins := find(cfg.Nodes, "ServerAdmin")
	if len(admins) != 2 || admins[1].Arg(0) != "webmaster@example.com" || admins[1].Pos.File != fixture("define", "conf-example.conf") {
		t.Errorf("Define not applied inside the included file: %v", admins)
	}
	opts := find(cfg.Nodes, "Options")[0]
	if opts.Args[1].Pos != opts.Args[0].Pos || opts.Args[0].Pos.Col != 9 {
		t.Errorf("split arguments should keep the ${OPTS} position: %v", opts.Args)
	}

	// The parsed file is shared, the substitution is not: a second load
	// with the same Loader starts from the raw text again.
	l := NewLoader(nil, nil)
	first := l.Load(fixture("define", "main.conf"), "server")
	second := l.Load(fixture("define", "main.conf"), "server")
	if dump(first.Nodes) != dump(second.Nodes) || find(second.Nodes, "ServerName")[0].Arg(0) != "www.example.com" {
		t.Errorf("loads differ:\n%s\n%s", dump(first.Nodes), dump(second.Nodes))
	}
}

func TestLoadMissingIncludes(t *testing.T) {
	cfg := NewLoader(nil, nil).Load(fixture("missing", "main.conf"), "server")
	var got []string
	for _, p := range cfg.Problems {
		got = append(got, p.Code+" "+rel(t, p.Pos.File)+":"+strconv.Itoa(p.Pos.Line))
	}
	want := []string{
		"include-not-found missing/main.conf:1",  // plain file
		"include-not-found missing/main.conf:2",  // wildcard matching nothing
		"include-not-found missing/main.conf:3",  // wildcard in a missing directory
		"include-not-found missing/main.conf:4",  // middle wildcard, file missing in a matched dir
		"include-not-found missing/main.conf:10", // inside a section
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant (IncludeOptional never fails):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range cfg.Problems {
		if !strings.Contains(p.Message, "Include ") || p.Hint == "" || p.End.Line != p.Pos.Line {
			t.Errorf("problem %q lacks the include, a hint or the end", p.Message)
		}
	}
}

func TestLoadCycles(t *testing.T) {
	cases := []struct {
		entry, at, chain string
		related          []string
	}{
		{"a.conf", "cycle/b.conf:2", "a.conf -> b.conf -> a.conf", []string{"cycle/a.conf:2"}},
		{"glob.conf", "cycle/conf.d/loop.conf:2", "loop.conf -> loop.conf", []string{"cycle/glob.conf:1"}},
	}
	for _, tc := range cases {
		cfg := NewLoader(nil, nil).Load(fixture("cycle", tc.entry), "server")
		if len(cfg.Problems) != 1 {
			t.Fatalf("%s: problems %q", tc.entry, problemLines(cfg.Problems))
		}
		p := cfg.Problems[0]
		if p.Code != ast.CodeIncludeCycle || rel(t, p.Pos.File)+":"+strconv.Itoa(p.Pos.Line) != tc.at || !strings.Contains(p.Message, tc.chain) {
			t.Errorf("%s: %s %s, want include-cycle at %s with %q", tc.entry, p.Code, p.String(), tc.at, tc.chain)
		}
		var related []string
		for _, r := range p.Related {
			related = append(related, rel(t, r.Pos.File)+":"+strconv.Itoa(r.Pos.Line))
		}
		if !slices.Equal(related, tc.related) {
			t.Errorf("%s: related %q, want %q", tc.entry, related, tc.related)
		}
	}
}

func TestLoadServerRoot(t *testing.T) {
	httpd := fixture("serverroot", "etc", "httpd")
	cases := []struct {
		name, entry string
		res         *paths.Resolver
		access      []string
	}{
		{"ServerRoot rebased", "httpd.conf", nil, []string{".acl", ".htaccess"}},
		{"ServerRoot under a sysroot", "httpd.conf", &paths.Resolver{Sysroot: fixture("serverroot")}, []string{".acl", ".htaccess"}},
		{"no ServerRoot: parent of conf/", "noroot.conf", nil, []string{".htaccess"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := NewLoader(tc.res, nil).Load(filepath.Join(httpd, "conf", tc.entry), "server")
			if len(cfg.Problems) != 0 {
				t.Fatalf("problems: %q", problemLines(cfg.Problems))
			}
			if got := ServerRoot(cfg); filepath.Clean(got) != filepath.Clean(httpd) {
				t.Errorf("ServerRoot = %q, want %q", got, httpd)
			}
			if len(cfg.Files) != 2 || cfg.Files[1] != filepath.Join(httpd, "conf.d", "auth.conf") {
				t.Errorf("files = %q", cfg.Files)
			}
			if got := AccessFileNames(cfg); !slices.Equal(got, tc.access) {
				t.Errorf("AccessFileNames = %q, want %q", got, tc.access)
			}
		})
	}
	elsewhere := NewLoader(nil, nil).Load(fixture("serverroot-elsewhere", "httpd.conf"), "server")
	if len(elsewhere.Problems) != 0 || len(elsewhere.Files) != 2 || ServerRoot(elsewhere) != fixture("serverroot-elsewhere") {
		t.Errorf("ServerRoot that does not exist: root %q, files %q, problems %q",
			ServerRoot(elsewhere), elsewhere.Files, problemLines(elsewhere.Problems))
	}
	if got := ServerRoot(&ast.Config{}); got != "" {
		t.Errorf("ServerRoot of a config not loaded = %q", got)
	}
	if got := AccessFileNames(nil); !slices.Equal(got, []string{".htaccess"}) {
		t.Errorf("AccessFileNames(nil) = %q", got)
	}
}

func TestLoadHtaccess(t *testing.T) {
	entry := fixture("htaccess", ".htaccess")
	cfg := NewLoader(nil, nil).Load(entry, "htaccess")
	if cfg.Kind != ast.KindHtaccess || cfg.Context != "htaccess" || len(cfg.Problems) != 0 {
		t.Fatalf("kind %s context %s problems %q", cfg.Kind, cfg.Context, problemLines(cfg.Problems))
	}
	if !slices.Equal(cfg.Files, []string{entry}) || len(cfg.Comments) != 1 {
		t.Errorf("files %q comments %d: an access file includes nothing", cfg.Files, len(cfg.Comments))
	}
	if got := dump(cfg.Nodes); got != "2:1-2:14 AuthType Basic@2:10\n3:1-3:19 Include /etc/passwd@3:9\n"+
		"4:1-6:8 Files \"secret\"@4:8\n  5:5-5:22 Require valid-user@5:13\n" {
		t.Errorf("tree:\n%s", got)
	}
}

func TestLoadReadFunc(t *testing.T) {
	files := map[string]string{
		"/virtual/main.conf": "Include part.conf\r\nInclude /virtual/part.conf\n",
		"/virtual/part.conf": "\ufeffServerAdmin x\n",
	}
	var reads []string
	read := func(p string) ([]byte, error) {
		reads = append(reads, p)
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, fs.ErrNotExist
	}
	l := NewLoader(&paths.Resolver{Exists: func(string) bool { return false }}, read)
	cfg := l.Load("/virtual/main.conf", "server")
	if !slices.Equal(reads, []string{"/virtual/main.conf", "/virtual/part.conf"}) {
		t.Errorf("reads = %q, want each file read once", reads)
	}
	admins := find(cfg.Nodes, "ServerAdmin")
	if len(admins) != 2 || admins[0].IncludedFrom == admins[1].IncludedFrom || admins[1].Pos.Col != 1 {
		t.Errorf("spliced %v", admins)
	}
	// The BOM is reported once, for the file, not per include site.
	if got := problemLines(cfg.Problems); len(got) != 1 || !strings.Contains(got[0], "byte order mark") {
		t.Fatalf("problems = %q", got)
	}
	// ... with the include chain of the first site.
	if r := cfg.Problems[0].Related; len(r) != 1 || r[0].Pos.Line != 1 || r[0].Message != "included from here: Include part.conf" {
		t.Errorf("related = %+v", r)
	}

	missing := l.Load("/virtual/nope.conf", "server")
	if len(missing.Problems) != 1 || len(missing.Nodes) != 0 || len(missing.Files) != 0 {
		t.Errorf("unreadable entry: problems %q files %q", problemLines(missing.Problems), missing.Files)
	}
}

func TestLoadRebasesRepositoryCopy(t *testing.T) {
	entry := fixture("rebase", "apache2", "apache2.conf")
	cfg := NewLoader(nil, nil).Load(entry, "server")
	if len(cfg.Problems) != 0 {
		t.Fatalf("problems: %q", problemLines(cfg.Problems))
	}
	want := []string{entry, fixture("rebase", "apache2", "ports.conf"), fixture("rebase", "apache2", "conf.d", "auth.conf")}
	if !slices.Equal(cfg.Files, want) {
		t.Errorf("files = %q, want %q", cfg.Files, want)
	}
	if l := find(cfg.Nodes, "Listen"); len(l) != 1 || l[0].Arg(0) != "8080" {
		t.Errorf("Listen = %v, want the copy's 8080", l)
	}
}

func TestLoadUndefinedVariableInInclude(t *testing.T) {
	read := func(p string) ([]byte, error) {
		if p == "/v/main.conf" {
			return []byte("Include ${APACHE_CONFDIR}/x.conf\n"), nil
		}
		return nil, fs.ErrNotExist
	}
	cfg := NewLoader(nil, read).Load("/v/main.conf", "server")
	if len(cfg.Problems) != 1 || cfg.Problems[0].Code != ast.CodeIncludeNotFound || !strings.Contains(cfg.Problems[0].Hint, "envvars") {
		t.Errorf("problems = %+v", cfg.Problems)
	}
}

// TestLoadMultiplyingIncludes: each file includes the next at two sites, 2^30
// splices in all; the loader stops after maxSplices and says so.
func TestLoadMultiplyingIncludes(t *testing.T) {
	read := func(p string) ([]byte, error) {
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "/m/f"), ".conf"))
		if err != nil || i > 30 {
			return nil, fs.ErrNotExist
		}
		if i == 30 {
			return []byte("ServerAdmin x\n"), nil
		}
		next := "Include f" + strconv.Itoa(i+1) + ".conf\n"
		return []byte(next + next), nil
	}
	cfg := NewLoader(nil, read).Load("/m/f0.conf", "server")
	if len(cfg.Problems) != 1 || cfg.Problems[0].Code != ast.CodeIncludeCycle || !strings.Contains(cfg.Problems[0].Message, "spliced") {
		t.Fatalf("problems = %q", problemLines(cfg.Problems))
	}
	// The same with macros.
	var src strings.Builder
	for i := range 30 {
		n := strconv.Itoa(i)
		src.WriteString("<Macro M" + n + ">\nUse M" + strconv.Itoa(i+1) + "\nUse M" + strconv.Itoa(i+1) + "\n</Macro>\n")
	}
	src.WriteString("<Macro M30>\nServerAdmin x\n</Macro>\nUse M0\n")
	macros := NewLoader(nil, func(string) ([]byte, error) { return []byte(src.String()), nil }).Load("/m.conf", "server")
	if len(macros.Problems) != 1 || !strings.Contains(macros.Problems[0].Message, "spliced") {
		t.Fatalf("macros: problems = %q", problemLines(macros.Problems))
	}
	if n := len(find(cfg.Nodes, "Include")); n > 2*maxSplices+2 {
		t.Errorf("%d include nodes kept, want at most about %d", n, 2*maxSplices)
	}
}

func TestLoadMacro(t *testing.T) {
	entry := fixture("macro", "main.conf")
	cfg := NewLoader(nil, nil).Load(entry, "server")
	if len(cfg.Problems) != 0 {
		t.Fatalf("problems: %q", problemLines(cfg.Problems))
	}
	uses := find(cfg.Nodes, "Use")
	vhosts := find(cfg.Nodes, "VirtualHost")
	if len(uses) != 2 || len(vhosts) != 2 {
		t.Fatalf("%d Use, %d VirtualHost", len(uses), len(vhosts))
	}
	wantDirs := []string{"/srv/a", "/srv/b dir"} // the body quotes "$dir"
	for i, v := range vhosts {
		if v.IncludedFrom != uses[i] || v.Parent != nil || v.Pos.File != entry || v.Pos.Line != 3 || v.End.Line != 8 {
			t.Errorf("vhost %d: from %v, at %v-%v", i, v.IncludedFrom, v.Pos, v.End)
		}
		name := find(v.Children, "ServerName")
		dir := find(v.Children, "Directory")
		if len(name) != 1 || name[0].Arg(0) != uses[i].Arg(1) || name[0].Pos.Line != 4 || len(dir) != 1 ||
			!slices.Equal(dir[0].Values(), wantDirs[i:i+1]) {
			t.Errorf("vhost %d:\n%s", i, dump([]*ast.Node{v}))
		}
	}

	cases := []struct {
		name, src, want string
	}{
		{"undefined", "Use M\n", "parse-error 1: Use: macro 'M' is not defined"},
		{"undefined after UndefMacro", "<Macro M>\nServerAdmin x\n</Macro>\nUndefMacro m\nUse M\n", "parse-error 5: Use: macro 'M' is not defined"},
		{"argument count", "<Macro M $a>\n</Macro>\nUse M\n", "parse-error 3: Use: macro 'M' (defined at /m.conf:1:1) takes 1 arguments, not 0"},
		{"recursion", "<Macro M>\nUse M\n</Macro>\nUse M\n", "include-cycle 2: macro 'M' uses itself"},
		{"recursion under a condition", "<Macro M>\n<IfDefine X>\nUse M\n</IfDefine>\n</Macro>\nUse M\n", ""},
		{"body that does not nest", "<Macro M>\n</Files>\n</Macro>\nUse M\n", "parse-error 4: in the expansion of macro 'M' (defined at /m.conf:1:1): line 2: </Files> without"},
		{"no name", "<Macro>\n</Macro>\n", "parse-error 1: <Macro> without a name"},
		{"longest parameter first", "<Macro M $a $ab>\nServerAdmin $ab-$a\n</Macro>\nUse M 1 2\n", ""},
	}
	for _, tc := range cases {
		read := func(string) ([]byte, error) { return []byte(tc.src), nil }
		cfg := NewLoader(nil, read).Load("/m.conf", "server")
		var got []string
		for _, p := range cfg.Problems {
			got = append(got, p.Code+" "+strconv.Itoa(p.Pos.Line)+": "+p.Message)
		}
		if tc.want == "" && len(got) != 0 || tc.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tc.want)) {
			t.Errorf("%s: problems %q, want %q", tc.name, got, tc.want)
		}
	}
	read := func(string) ([]byte, error) {
		return []byte("<Macro M $a $ab>\nServerAdmin $ab-$a\n</Macro>\nUse M 1 2\n"), nil
	}
	admin := find(NewLoader(nil, read).Load("/m.conf", "server").Nodes, "ServerAdmin")
	if len(admin) != 2 || admin[1].Arg(0) != "2-1" {
		t.Errorf("substitution: %v", admin)
	}
}

// TestLoadDebian loads a pristine copy of Debian's /etc/apache2 through a
// sysroot and checks that every conventional include is spliced.
func TestLoadDebian(t *testing.T) {
	root := fixture("debian")
	conf := fixture("debian", "etc", "apache2")
	if _, err := os.Lstat(filepath.Join(conf, "sites-enabled", "000-default.conf")); err != nil {
		t.Fatalf("fixture incomplete: %v", err)
	}
	cfg := NewLoader(&paths.Resolver{Sysroot: root}, nil).Load(filepath.Join(conf, "apache2.conf"), "server")
	if len(cfg.Problems) != 0 {
		t.Fatalf("problems:\n%s", strings.Join(problemLines(cfg.Problems), "\n"))
	}
	if got := ServerRoot(cfg); got != conf {
		t.Errorf("ServerRoot = %q, want %q", got, conf)
	}
	var files []string
	for _, f := range cfg.Files {
		files = append(files, strings.TrimPrefix(filepath.ToSlash(f), filepath.ToSlash(conf)+"/"))
	}
	loads, _ := filepath.Glob(filepath.Join(conf, "mods-enabled", "*.load"))
	if len(loads) < 5 {
		t.Fatalf("only %d mods-enabled/*.load in the fixture", len(loads))
	}
	for _, want := range []string{
		"apache2.conf", "mods-enabled/authz_core.load", "mods-enabled/mpm_event.conf", "ports.conf",
		"conf-enabled/security.conf", "sites-enabled/000-default.conf",
	} {
		if !slices.Contains(files, want) {
			t.Errorf("%s not spliced; files:\n%s", want, strings.Join(files, "\n"))
		}
	}
	if n := len(find(cfg.Nodes, "LoadModule")); n != len(loads) {
		t.Errorf("%d LoadModule directives, want one per mods-enabled/*.load (%d)", n, len(loads))
	}
	listen := find(cfg.Nodes, "Listen")
	if len(listen) == 0 || listen[0].IncludedFrom == nil || listen[0].IncludedFrom.Arg(0) != "ports.conf" {
		t.Errorf("Listen from ports.conf not spliced at its Include: %v", listen)
	}
	vhosts := find(cfg.Nodes, "VirtualHost")
	if len(vhosts) != 1 || vhosts[0].Arg(0) != "*:80" || !strings.HasSuffix(vhosts[0].Pos.File, "sites-enabled/000-default.conf") {
		t.Errorf("vhosts = %v", vhosts)
	}
	if got := vhosts[0].IncludeChain(); len(got) != 1 || got[0].Arg(0) != "sites-enabled/*.conf" {
		t.Errorf("vhost include chain = %v", got)
	}
}

// TestLoadLiveDebian loads this machine's own Apache configuration.
func TestLoadLiveDebian(t *testing.T) {
	const live = "/etc/apache2/apache2.conf"
	if _, err := os.Stat(live); errors.Is(err, fs.ErrNotExist) {
		t.Skip("no " + live + " on this machine")
	}
	cfg := NewLoader(nil, nil).Load(live, "server")
	if len(cfg.Problems) != 0 {
		t.Fatalf("problems:\n%s", strings.Join(problemLines(cfg.Problems), "\n"))
	}
	if len(cfg.Files) < 3 || len(find(cfg.Nodes, "LoadModule")) == 0 {
		t.Errorf("files %q: includes not followed", cfg.Files)
	}
}

func TestDefaultServerRoot(t *testing.T) {
	cases := map[string]string{
		"/r/etc/apache2/apache2.conf":             "/r/etc/apache2",
		"/r/etc/apache2/sites-available/a.conf":   "/r/etc/apache2",
		"/r/etc/apache2/conf-enabled/auth.conf":   "/r/etc/apache2",
		"/r/etc/httpd/conf/httpd.conf":            "/r/etc/httpd",
		"/r/etc/httpd/conf.d/ssl.conf":            "/r/etc/httpd",
		"/r/deploy/apache/vhost.conf":             "/r/deploy/apache",
		"/r/etc/apache2/sites-available/x/a.conf": "/r/etc/apache2/sites-available/x",
	}
	read := func(string) ([]byte, error) { return []byte("ServerAdmin x\n"), nil }
	for entry, want := range cases {
		cfg := NewLoader(nil, read).Load(entry, "server")
		if got := ServerRoot(cfg); got != want {
			t.Errorf("%s: ServerRoot = %q, want %q", entry, got, want)
		}
	}
}

// TestSnippetUsesServerRootOfMainConfigAbove: a vhost file read on its own
// takes relative Includes from the ServerRoot of the httpd.conf above it.
func TestSnippetUsesServerRootOfMainConfigAbove(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"httpd.conf":           "Include vhosts/*.conf\n",
		"h5bp/security/x.conf": "Header set X-Frame-Options DENY\n",
		"vhosts/site/a.conf":   "<VirtualHost *:80>\n    Include h5bp/security/x.conf\n</VirtualHost>\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := NewLoader(nil, nil).Load(filepath.Join(dir, "vhosts", "site", "a.conf"), "server")
	if len(cfg.Problems) != 0 || len(cfg.Files) != 2 || cfg.Root != dir {
		t.Fatalf("problems %v, files %v, root %q", cfg.Problems, cfg.Files, cfg.Root)
	}
}
