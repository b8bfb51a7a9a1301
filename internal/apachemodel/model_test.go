package apachemodel

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/parser/apache"
	"github.com/authlint/authlint/parser/ast"
)

// build writes a sysroot tree (etc/apache2/apache2.conf plus access files
// keyed by their absolute path, e.g. "/var/www/html/.htaccess") and models
// it the way a run over that tree does.
func build(t *testing.T, conf string, htaccess map[string]string) *Model {
	t.Helper()
	root := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if err := os.MkdirAll(filepath.Join(root, "var", "www", "html"), 0o750); err != nil {
		t.Fatal(err)
	}
	res := &paths.Resolver{Sysroot: root}
	ld := apache.NewLoader(res, nil)
	var cfgs []*ast.Config
	if conf != "" {
		c := ld.Load(write("etc/apache2/apache2.conf", conf), "server")
		if len(c.Problems) > 0 {
			t.Fatalf("problems: %v", c.Problems)
		}
		cfgs = append(cfgs, c)
	}
	for name, text := range htaccess {
		cfgs = append(cfgs, ld.Load(write(name, text), "htaccess"))
	}
	return Build(cfgs, Options{Resolver: res})
}

const base = `DocumentRoot /var/www/html
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory /var/www/>
  Require all granted
</Directory>
`

const htAuth = "AuthType Basic\nAuthName x\nAuthUserFile /etc/apache2/htpasswd\nRequire valid-user\n"

// TestNeedsUser checks apacheNeedsUser against the catalog's lab matrix
// (§4) and the merge rules of §0.
func TestNeedsUser(t *testing.T) {
	for _, tc := range []struct {
		name     string
		conf     string
		ht       map[string]string
		url      string
		method   string
		want     bool
		wantLine int // line of the responsible Require in its file; 0: none
	}{
		{"AllowOverride None ignores .htaccess", base, map[string]string{"/var/www/html/.htaccess": htAuth}, "/", "GET", false, 0},
		{
			"AllowOverride AuthConfig reads it", base + "<Directory /var/www/html>\nAllowOverride AuthConfig\n</Directory>\n",
			map[string]string{"/var/www/html/.htaccess": htAuth},
			"/x.html", "GET", true, 4,
		},
		{
			"Nonfatal=Override skips it", base + "<Directory /var/www/html>\nAllowOverride FileInfo Nonfatal=Override\n</Directory>\n",
			map[string]string{"/var/www/html/.htaccess": htAuth},
			"/x.html", "GET", false, 0,
		},
		{
			"AllowOverride in DirectoryMatch is ignored", base + "<DirectoryMatch \"^/var/www/html\">\nAllowOverride All\n</DirectoryMatch>\n",
			map[string]string{"/var/www/html/.htaccess": htAuth},
			"/x.html", "GET", false, 0,
		},
		{
			"inherited AllowOverride from a parent", base + "<Directory /var/www>\nAllowOverride All\n</Directory>\n",
			map[string]string{"/var/www/html/sub/.htaccess": htAuth},
			"/sub/a.html", "GET", true, 4,
		},
		{"valid-user and all granted in one section is public", base +
			"<Location />\nAuthType Basic\nAuthName x\nRequire valid-user\nRequire all granted\n</Location>\n", nil, "/", "GET", false, 0},
		{"RequireAll ip and valid-user asks inside clients", base +
			"<Location />\n<RequireAll>\nRequire ip 10.0.0.0/8\nRequire valid-user\n</RequireAll>\n</Location>\n", nil, "/", "GET", true, 12},
		{"Limit GET POST leaves PUT open", base + "<Location />\n<Limit GET POST>\nRequire valid-user\n</Limit>\n</Location>\n", nil, "/", "PUT", false, 0},
		{"Limit GET covers HEAD", base + "<Location />\n<Limit GET POST>\nRequire valid-user\n</Limit>\n</Location>\n", nil, "/", "HEAD", true, 11},
		{"LimitExcept OPTIONS opens OPTIONS", base + "<Location />\n<LimitExcept OPTIONS>\nRequire valid-user\n</LimitExcept>\n</Location>\n", nil, "/", "OPTIONS", false, 0},
		{"LimitExcept OPTIONS guards PATCH", base + "<Location />\n<LimitExcept OPTIONS>\nRequire valid-user\n</LimitExcept>\n</Location>\n", nil, "/", "PATCH", true, 11},
		{"Require method OPTIONS in RequireAny", base + "<Location />\nRequire method OPTIONS\nRequire valid-user\n</Location>\n", nil, "/", "OPTIONS", false, 0},
		{"If OPTIONS grant merges last", base + "<Location />\nRequire valid-user\n</Location>\n<If \"%{REQUEST_METHOD} == 'OPTIONS'\">\nRequire all granted\n</If>\n", nil, "/", "OPTIONS", false, 0},
		{"If OPTIONS grant leaves GET", base + "<Location />\nRequire valid-user\n</Location>\n<If \"%{REQUEST_METHOD} == 'OPTIONS'\">\nRequire all granted\n</If>\n", nil, "/", "GET", true, 10},
		{"If on another condition is not taken", base + "<Location />\nRequire valid-user\n</Location>\n<If \"%{HTTP_HOST} == 'a'\">\nRequire all granted\n</If>\n", nil, "/", "GET", true, 10},
		{"Satisfy Any alone opens", base + "<Location />\nRequire valid-user\nSatisfy Any\n</Location>\n", nil, "/", "GET", false, 0},
		{"Satisfy Any with Deny from all and an Allow CIDR", base +
			"<Location />\nRequire valid-user\nSatisfy Any\nOrder Deny,Allow\nDeny from all\nAllow from 10.0.0.0/8\n</Location>\n", nil, "/", "GET", true, 10},
		{"Location / granted replaces Directory auth", base +
			"<Directory /var/www/html/admin>\nRequire valid-user\n</Directory>\n<Location />\nRequire all granted\n</Location>\n", nil, "/admin/x", "GET", false, 0},
		{"AuthMerging And keeps the user", base +
			"<Directory /var/www/html/admin>\nRequire valid-user\n</Directory>\n<Location />\nAuthMerging And\nRequire all granted\n</Location>\n", nil, "/admin/x", "GET", true, 10},
		{"vhost Redirect ends before auth", base + "<VirtualHost *:80>\nRedirect permanent / https://example.com/\n<Location />\nRequire valid-user\n</Location>\n</VirtualHost>\n", nil, "/", "GET", false, 0},
		{"vhost RewriteRule R=204 for OPTIONS", base + "<VirtualHost *:80>\nRewriteEngine On\nRewriteCond %{REQUEST_METHOD} =OPTIONS\nRewriteRule ^ - [R=204,L]\n<Location />\nRequire valid-user\n</Location>\n</VirtualHost>\n", nil, "/api", "OPTIONS", false, 0},
		{"vhost RewriteRule R=204 leaves GET", base + "<VirtualHost *:80>\nRewriteEngine On\nRewriteCond %{REQUEST_METHOD} =OPTIONS\nRewriteRule ^ - [R=204,L]\n<Location />\nRequire valid-user\n</Location>\n</VirtualHost>\n", nil, "/api", "GET", true, 14},
		{"Directory RewriteRule R=204 runs after auth", base + "<Directory /var/www/html>\nRewriteEngine On\nRewriteCond %{REQUEST_METHOD} =OPTIONS\nRewriteRule ^ - [R=204,L]\nRequire valid-user\n</Directory>\n", nil, "/api", "OPTIONS", true, 13},
		{"IfDefine not defined is skipped", base + "<IfDefine ENABLE_X>\n<Location />\nRequire valid-user\n</Location>\n</IfDefine>\n", nil, "/", "GET", false, 0},
		{"IfDefine defined is read", "Define ENABLE_X\n" + base + "<IfDefine ENABLE_X>\n<Location />\nRequire valid-user\n</Location>\n</IfDefine>\n", nil, "/", "GET", true, 12},
		{"negated IfModule is skipped", base + "<IfModule !mod_x.c>\n<Location />\nRequire valid-user\n</Location>\n</IfModule>\n", nil, "/", "GET", false, 0},
		{"IfModule is read", base + "<IfModule mod_x.c>\n<Location />\nRequire valid-user\n</Location>\n</IfModule>\n", nil, "/", "GET", true, 11},
		{"IfModule of a module not loaded is skipped", "LoadModule alias_module mods/mod_alias.so\n" + base +
			"<IfModule mod_cgid.c>\nDefine CGI\n</IfModule>\n<IfDefine CGI>\n<Location />\nRequire valid-user\n</Location>\n</IfDefine>\n", nil, "/", "GET", false, 0},
		{"IfModule of a loaded module is read", "LoadModule cgid_module mods/mod_cgid.so\n" + base +
			"<IfModule mod_cgid.c>\nDefine CGI\n</IfModule>\n<IfDefine CGI>\n<Location />\nRequire valid-user\n</Location>\n</IfDefine>\n", nil, "/", "GET", true, 15},
		{
			"Files inside .htaccess scopes the auth", base + "<Directory /var/www/html>\nAllowOverride AuthConfig\n</Directory>\n",
			map[string]string{"/var/www/html/.htaccess": "<Files secret.txt>\n" + htAuth + "</Files>\n"},
			"/a.html", "GET", false, 0,
		},
		{
			"Files inside .htaccess applies to its file", base + "<Directory /var/www/html>\nAllowOverride AuthConfig\n</Directory>\n",
			map[string]string{"/var/www/html/.htaccess": "<Files secret.txt>\n" + htAuth + "</Files>\n"},
			"/secret.txt", "GET", true, 5,
		},
		{"Alias maps outside the docroot", base + "Alias /app /srv/app\n<Directory /srv/app>\nRequire valid-user\n</Directory>\n", nil, "/app/x", "GET", true, 11},
		{"Location is prefix at a path boundary", base + "<Location /private>\nRequire valid-user\n</Location>\n", nil, "/privateother", "GET", false, 0},
		{"ProxyPass skips the directory walk", base + "<Directory /var/www/html>\nRequire valid-user\n</Directory>\nProxyPass /api http://127.0.0.1:8080/\n", nil, "/api/x", "GET", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := build(t, tc.conf, tc.ht)
			if len(m.Servers) == 0 {
				t.Fatal("no server")
			}
			got, d := m.Servers[0].NeedsUser(tc.url, tc.method)
			if got != tc.want {
				t.Fatalf("NeedsUser(%s %s) = %v, want %v (chain %s)", tc.method, tc.url, got, tc.want, d.Scope.ChainString())
			}
			line := 0
			if r := d.Require(); r != nil && got {
				line = r.Pos.Line
			}
			if line != tc.wantLine {
				t.Errorf("responsible Require at line %d, want %d", line, tc.wantLine)
			}
		})
	}
}

// TestIndexSubrequest: <LocationMatch "^/$"> Require all granted opens /
// but the DirectoryIndex subrequest to /index.html is checked again (V).
func TestIndexSubrequest(t *testing.T) {
	m := build(t, base+"<Directory /var/www/html>\nRequire valid-user\n</Directory>\n<LocationMatch \"^/$\">\nRequire all granted\n</LocationMatch>\n", nil)
	s := m.Servers[0]
	if got, _ := s.NeedsUser("/", "GET"); got {
		t.Fatal("/ itself should be open")
	}
	targets := s.IndexTargets("/")
	if len(targets) != 1 || targets[0] != "/index.html" {
		t.Fatalf("IndexTargets = %v", targets)
	}
	if got, _ := s.NeedsUser(targets[0], "GET"); !got {
		t.Fatal("/index.html should need a user")
	}
	m = build(t, base+"<Directory /var/www/html>\nDirectoryIndex disabled\n</Directory>\n", nil)
	if got := m.Servers[0].IndexTargets("/"); got != nil {
		t.Fatalf("DirectoryIndex disabled: targets %v", got)
	}
}

// TestNestedFatal: an auth directive inside <Files> of an .htaccess that
// AllowOverride forbids still fails the request (500).
func TestNestedFatal(t *testing.T) {
	m := build(t, base+"<Directory /var/www/html>\nAllowOverride FileInfo\n</Directory>\n",
		map[string]string{"/var/www/html/.htaccess": "<Files x.txt>\n" + htAuth + "</Files>\n"})
	sc := m.Servers[0].Merge("/a.html", "GET")
	if sc.Fatal == nil || !sc.Fatal.Is("AuthType") {
		t.Fatalf("Fatal = %v", sc.Fatal)
	}
}

// TestOverride checks the R4b verdicts.
func TestOverride(t *testing.T) {
	for _, tc := range []struct {
		name  string
		conf  string
		reads bool
		want  Verdict
	}{
		{"default None", "DocumentRoot /var/www/html\n", false, 0},
		{"FileInfo is fatal", "<Directory /var/www/html>\nAllowOverride FileInfo\n</Directory>\n", true, Fatal},
		{"Nonfatal=Override skips", "<Directory /var/www/html>\nAllowOverride FileInfo Nonfatal=Override\n</Directory>\n", true, Skipped},
		{"Nonfatal=All skips", "<Directory /var/www>\nAllowOverride Indexes Nonfatal=All\n</Directory>\n", true, Skipped},
		{"AuthConfig allows", "<Directory /var/www/html>\nAllowOverride AuthConfig\n</Directory>\n", true, Allowed},
		{"All allows", "<Directory />\nAllowOverride All\n</Directory>\n", true, Allowed},
		{"longer Directory wins", "<Directory />\nAllowOverride All\n</Directory>\n<Directory /var/www/html>\nAllowOverride None\n</Directory>\n", false, 0},
		{"wildcard Directory counts", "<Directory /var/*/html>\nAllowOverride AuthConfig\n</Directory>\n", true, Allowed},
		{"Location does not count", "<Location />\nAllowOverride All\n</Location>\n", false, 0},
		{"AllowOverrideList without AuthType", "<Directory /var/www/html>\nAllowOverrideList Require\n</Directory>\n", true, Fatal},
		{"AllowOverrideList with AuthType", "<Directory /var/www/html>\nAllowOverrideList AuthType Require\n</Directory>\n", true, Allowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := build(t, tc.conf, nil)
			ov := m.Servers[0].OverrideFor("/var/www/html")
			if ov.Reads() != tc.reads {
				t.Fatalf("Reads() = %v, want %v (%s)", ov.Reads(), tc.reads, ov.Label())
			}
			if tc.reads {
				if got := ov.Verdict("AuthType"); got != tc.want {
					t.Errorf("Verdict(AuthType) = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// TestHtaccessOnly: without server config the override is unknown and the
// access file counts; the docroot is guessed from var/www/html.
func TestHtaccessOnly(t *testing.T) {
	m := build(t, "", map[string]string{"/var/www/html/.htaccess": htAuth})
	if m.HasServerConfig || len(m.Servers) != 1 {
		t.Fatalf("servers %d, HasServerConfig %v", len(m.Servers), m.HasServerConfig)
	}
	s := m.Servers[0]
	if !strings.HasSuffix(s.DocRoot, "/var/www/html") {
		t.Fatalf("DocRoot %q", s.DocRoot)
	}
	if got, d := s.NeedsUser("/", "GET"); !got || d.Set == nil || d.Set.Kind != "htaccess" {
		t.Fatalf("NeedsUser = %v, set %v", got, d.Set)
	}
	if ov := s.OverrideFor(s.DocRoot); ov.Known {
		t.Fatal("override should be unknown")
	}
}

// TestConfigDir maps an access file back to the path the config uses.
func TestConfigDir(t *testing.T) {
	m := build(t, base, map[string]string{"/var/www/html/admin/.htaccess": htAuth})
	if got := m.ConfigDir(m.Htaccess[0]); got != "/var/www/html/admin" {
		t.Fatalf("ConfigDir = %q", got)
	}
}

// TestBackend checks corsEnabled and whether Authorization reaches the
// back end (catalog R2b).
func TestBackend(t *testing.T) {
	for _, tc := range []struct {
		name    string
		conf    string
		url     string
		reaches bool
		line    int
	}{
		{"proxy forwards by default", base + "ProxyPass /api http://127.0.0.1:9/\n", "/api/x", true, 0},
		{"RequestHeader unset drops it", base + "ProxyPass /api http://127.0.0.1:9/\n<Location /api>\nRequestHeader unset Authorization\n</Location>\n", "/api/x", false, 11},
		{"early in Location is a no-op", base + "ProxyPass /api http://127.0.0.1:9/\n<Location /api>\nRequestHeader unset Authorization early\n</Location>\n", "/api/x", true, 0},
		{"server-level unset applies", base + "RequestHeader unset Authorization\nProxyPass /api http://127.0.0.1:9/\n", "/api/x", false, 9},
		{"ScriptAlias hides it", base + "ScriptAlias /cgi-bin/ /usr/lib/cgi-bin/\n", "/cgi-bin/x", false, 9},
		{"CGIPassAuth On passes it", base + "ScriptAlias /cgi-bin/ /usr/lib/cgi-bin/\n<Directory /usr/lib/cgi-bin>\nCGIPassAuth On\n</Directory>\n", "/cgi-bin/x", true, 11},
		{"SetEnvIf passes it", base + "SetEnvIf Authorization \"(.+)\" HTTP_AUTHORIZATION=$1\n<FilesMatch \\.php$>\nSetHandler \"proxy:unix:/run/php/php-fpm.sock|fcgi://localhost\"\n</FilesMatch>\n", "/a.php", true, 9},
		{"php-fpm handler hides it", base + "<FilesMatch \\.php$>\nSetHandler \"proxy:unix:/run/php/php-fpm.sock|fcgi://localhost\"\n</FilesMatch>\n", "/a.php", false, 10},
		{"RewriteRule E= in .htaccess-like Directory passes it", base + "<Directory /var/www/html>\nRewriteEngine On\nRewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]\n</Directory>\nAddHandler cgi-script .cgi\n", "/a.cgi", true, 11},
		{"static files are not a back end", base, "/a.html", true, 0},
		{"per-directory RewriteRule [P] proxies", base + "<Directory /var/www/html>\nRewriteEngine On\nRewriteRule ^api/(.*)$ http://127.0.0.1:9/$1 [P]\nRequestHeader unset Authorization\n</Directory>\n", "/api/x", false, 12},
		{"per-directory RewriteRule [P] elsewhere", base + "<Directory /var/www/html>\nRewriteEngine On\nRewriteRule ^api/(.*)$ http://127.0.0.1:9/$1 [P]\nRequestHeader unset Authorization\n</Directory>\n", "/other", true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := build(t, tc.conf, nil)
			sc := m.Servers[0].Merge(tc.url, "GET")
			ok, by := sc.AuthorizationReachesBackend()
			if ok != tc.reaches {
				t.Fatalf("reaches = %v, want %v", ok, tc.reaches)
			}
			line := 0
			if by != nil {
				line = by.Pos.Line
			}
			if line != tc.line {
				t.Errorf("directive at line %d, want %d", line, tc.line)
			}
		})
	}
}

func TestCORSEnabled(t *testing.T) {
	m := build(t, base+"<Location /api>\nHeader always set Access-Control-Allow-Origin \"*\"\n</Location>\nSetEnvIfNoCase Origin \"x\" ok\n", nil)
	s := m.Servers[0]
	if n := s.Merge("/api/x", "OPTIONS").CORSEnabled(); n == nil || !n.Is("Header") {
		t.Fatalf("CORSEnabled(/api/x) = %v", n)
	}
	if n := s.Merge("/other", "OPTIONS").CORSEnabled(); n == nil || !n.Is("SetEnvIfNoCase") {
		t.Fatalf("CORSEnabled(/other) = %v", n)
	}
	m = build(t, base, nil)
	if n := m.Servers[0].Merge("/api/x", "OPTIONS").CORSEnabled(); n != nil {
		t.Fatalf("CORSEnabled without headers = %v", n)
	}
}

func FuzzBuild(f *testing.F) {
	f.Add(base+"<Location />\nRequire valid-user\n</Location>\n", "/")
	f.Add("<If \"%{REQUEST_METHOD} -in {'GET'}\">\nRequire all granted\n</If>\nAliasMatch ^/(.*) /x/$1\n", "/a")
	f.Fuzz(func(_ *testing.T, conf, url string) {
		file, _ := apache.Parse("fuzz.conf", []byte(conf), ast.KindApache)
		m := Build([]*ast.Config{{Kind: ast.KindApache, Entry: "fuzz.conf", Context: "server", Nodes: file.Nodes}}, Options{})
		for _, s := range m.Servers {
			s.NeedsUser(url, "OPTIONS")
			s.IndexTargets(url)
			s.Merge(url, "GET").AuthorizationReachesBackend()
		}
	})
}

func TestSampleURL(t *testing.T) {
	for _, tc := range []struct{ re, want string }{
		{`^/$`, "/"},
		{`^/api/(.*)$`, "/api/x"},
		{`\.php$`, "x.php"},
		{`^/(index\.html)?$`, "/index.html"},
		{`[`, ""},
	} {
		if got := SampleURL(tc.re); got != tc.want {
			t.Errorf("SampleURL(%q) = %q, want %q", tc.re, got, tc.want)
		}
	}
}

func TestSampleURLs(t *testing.T) {
	m := build(t, base+"<Location /api/>\nRequire valid-user\n</Location>\n<Directory /var/www/html/admin>\n<FilesMatch \\.php$>\nRequire valid-user\n</FilesMatch>\n</Directory>\nAlias /static /srv/static\n", nil)
	got := m.Servers[0].SampleURLs()
	for _, want := range []string{"/", "/api/", "/admin/", "/static", "/admin/x.php"} {
		if !slices.Contains(got, want) {
			t.Errorf("SampleURLs() = %v, missing %s", got, want)
		}
	}
}

// TestIndexCheck: the index subrequest is a GET that re-runs auth only
// when its merged sections differ from the main request's (V: <If OPTIONS>
// grant on a directory URL still 401; <LimitExcept OPTIONS> 200).
func TestIndexCheck(t *testing.T) {
	for _, tc := range []struct {
		name      string
		conf      string
		rechecked bool
		needs     bool
	}{
		{"If on the method differs", base + "<Location /api/>\nRequire valid-user\n</Location>\n<If \"%{REQUEST_METHOD} == 'OPTIONS'\">\nRequire all granted\n</If>\n", true, true},
		{"LimitExcept keeps the same sections", base + "<Location /api/>\n<LimitExcept OPTIONS>\nRequire valid-user\n</LimitExcept>\n</Location>\n", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := build(t, tc.conf, nil).Servers[0]
			sc := s.Merge("/api/", "OPTIONS")
			if d := s.Decide(sc); d.NeedsUser {
				t.Fatal("the main OPTIONS request should pass")
			}
			d, re := s.IndexCheck(sc, "/api/index.html")
			if re != tc.rechecked || re && d.NeedsUser != tc.needs {
				t.Fatalf("rechecked %v (decision %+v), want %v/%v", re, d, tc.rechecked, tc.needs)
			}
		})
	}
}

// TestDebianDefault models a copy of Debian's /etc/apache2: one vhost on
// port 80, DocumentRoot /var/www/html, AllowOverride None there, nothing
// asks for a user, and serve-cgi-bin.conf's ScriptAlias is off because
// no CGI module is enabled (its Define sits in <IfModule mod_cgi.c>).
func TestDebianDefault(t *testing.T) {
	root, err := filepath.Abs("../../fixtures/parse/apache/debian")
	if err != nil {
		t.Fatal(err)
	}
	res := &paths.Resolver{Sysroot: root}
	cfg := apache.NewLoader(res, nil).Load(filepath.Join(root, "etc", "apache2", "apache2.conf"), "server")
	m := Build([]*ast.Config{cfg}, Options{Resolver: res})
	if len(m.Servers) != 1 || m.Servers[0].IsMain() {
		t.Fatalf("want the one vhost, got %d servers", len(m.Servers))
	}
	s := m.Servers[0]
	if s.DocRoot != "/var/www/html" {
		t.Errorf("DocRoot = %q", s.DocRoot)
	}
	if need, d := s.NeedsUser("/", "GET"); need {
		t.Errorf("NeedsUser(/) = true (%s)", d.Scope.ChainString())
	}
	if ov := s.OverrideFor("/var/www/html"); ov.Reads() {
		t.Errorf("override for /var/www/html reads .htaccess: %s", ov.Label())
	}
	if sc := s.Merge("/cgi-bin/x", "GET"); sc.Target.CGI {
		t.Errorf("ScriptAlias /cgi-bin/ is live: %v", sc.Target.Alias.Pos)
	}
	if d := s.Decide(s.Merge("/.htaccess", "GET")); !d.Forbidden {
		t.Errorf("/.htaccess should be denied by <FilesMatch \"^\\.ht\">: %s", d.Scope.ChainString())
	}
}

// TestHtaccessOnlyOptions: the DocRoot option stands for DocumentRoot of
// a run with access files only; without it an unconventional tree has no
// known web root, and next to nginx configs no server stands for them.
func TestHtaccessOnlyOptions(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	if err := os.MkdirAll(site, 0o750); err != nil {
		t.Fatal(err)
	}
	ht := filepath.Join(site, ".htaccess")
	if err := os.WriteFile(ht, []byte(htAuth), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := apache.NewLoader(nil, nil).Load(ht, "htaccess")
	m := Build([]*ast.Config{cfg}, Options{DocRoot: site})
	if need, _ := m.Servers[0].NeedsUser("/", "GET"); !need {
		t.Error("with DocRoot the .htaccess guards /")
	}
	m = Build([]*ast.Config{cfg}, Options{})
	if m.Servers[0].DocRoot != "" {
		t.Errorf("guessed DocRoot %q for an unconventional tree", m.Servers[0].DocRoot)
	}
	m = Build([]*ast.Config{cfg, {Kind: ast.KindNginx, Entry: "nginx.conf"}}, Options{DocRoot: site})
	if !m.NginxOnly || len(m.Servers) != 0 {
		t.Errorf("next to nginx: NginxOnly %v, %d servers", m.NginxOnly, len(m.Servers))
	}
}

func TestSampleURLsRewriteProxy(t *testing.T) {
	m := build(t, base+"<Directory /var/www/html>\nAllowOverride All\n</Directory>\n",
		map[string]string{"/var/www/html/.htaccess": "RewriteEngine On\nRewriteRule ^api/(.*)$ http://127.0.0.1:9/$1 [P]\n"})
	got := m.Servers[0].SampleURLs()
	if !slices.Contains(got, "/api/x") {
		t.Fatalf("SampleURLs() = %v, missing /api/x", got)
	}
}
