package nginxmodel

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/parser/nginx"
)

// load parses an nginx.conf text and returns its servers.
func load(t *testing.T, conf string) []*Server {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := nginx.NewLoader(&paths.Resolver{}, nil).Load(path, "")
	if len(cfg.Problems) > 0 {
		t.Fatalf("problems: %v", cfg.Problems)
	}
	return Servers(cfg)
}

func http(body string) string { return "events {}\nhttp {\n" + body + "\n}\n" }

// TestFind checks location selection against ngx_http_core_find_location.
func TestFind(t *testing.T) {
	conf := http(`server {
  location = / { }
  location / { }
  location /admin/ { location ~ \.js$ { } }
  location ^~ /static/ { }
  location ~ \.php$ { }
  location ~* \.PNG$ { }
  location /api/ { location /api/v1/ { } location ~ ^/api/v2 { } }
  location @fallback { }
  location /static/img/ { }
}`)
	s := load(t, conf)[0]
	for _, tc := range []struct{ uri, want string }{
		{"/", "location = /"},
		{"/index.html", "location /"},
		{"/admin/", "location /admin/"},
		{"/admin/x.php", `location ~ \.php$`},      // regex beats the remembered prefix
		{"/admin/a.js", `location ~ \.js$`},        // nested regex wins first
		{"/static/x.php", "location ^~ /static/"},  // ^~ stops regexes
		{"/static/img/x.php", `location ~ \.php$`}, // longest prefix is not ^~
		{"/photo.png", `location ~* \.PNG$`},       // caseless
		{"/api/v1/x", "location /api/v1/"},
		{"/api/v2/x", "location ~ ^/api/v2"},
		{"/api/v1/x.php", `location ~ \.php$`},
		{"/fallback", "location /"}, // named locations never match a URI
	} {
		got := s.Find(tc.uri)
		if got == nil || got.Label() != tc.want {
			label := "<server>"
			if got != nil {
				label = got.Label()
			}
			t.Errorf("Find(%q) = %s, want %s", tc.uri, label, tc.want)
		}
	}
	if s.Named("@fallback") == nil {
		t.Error("named location not found")
	}
}

func TestFindNoMatch(t *testing.T) {
	s := load(t, http(`server { location /a/ { } }`))[0]
	if got := s.Find("/b"); got != nil {
		t.Fatalf("Find(/b) = %s, want server level", got.Label())
	}
}

// TestAuth checks the nginxAuth predicate against the catalog's lab matrix.
func TestAuth(t *testing.T) {
	for _, tc := range []struct {
		name, conf, method, uri string
		want                    bool
	}{
		{"server-wide basic", `server { auth_basic "x"; auth_basic_user_file /f; location / { } }`, "GET", "/", true},
		{"http-level realm, location file", `auth_basic "x"; server { location / { auth_basic_user_file /f; } }`, "GET", "/", true},
		{"no user file is public (X2)", `server { location / { auth_basic "x"; } }`, "GET", "/", false},
		{"auth_basic off", `server { auth_basic "x"; auth_basic_user_file /f; location /pub/ { auth_basic off; } }`, "GET", "/pub/x", false},
		{"regex shadows prefix (X1)", `server { location /admin/ { auth_basic "x"; auth_basic_user_file /f; } location ~ \.php$ { } }`, "GET", "/admin/x.php", false},
		{"nested regex inherits", `server { location /admin/ { auth_basic "x"; auth_basic_user_file /f; location ~ \.php$ { } } }`, "GET", "/admin/x.php", true},
		{"^~ keeps auth", `server { location ^~ /admin/ { auth_basic "x"; auth_basic_user_file /f; } location ~ \.php$ { } }`, "GET", "/admin/x.php", true},
		{"limit_except OPTIONS", `server { location / { limit_except OPTIONS { auth_basic "x"; auth_basic_user_file /f; } } }`, "OPTIONS", "/x", false},
		{"limit_except PATCH", `server { location / { limit_except OPTIONS { auth_basic "x"; auth_basic_user_file /f; } } }`, "PATCH", "/x", true},
		{"limit_except GET implies HEAD", `server { location / { limit_except GET { auth_basic "x"; auth_basic_user_file /f; } } }`, "HEAD", "/x", false},
		{"limit_except is not inherited by a nested location", `server { location /p/ { limit_except GET { auth_basic "x"; auth_basic_user_file /f; } location /p/n/ { } } }`, "POST", "/p/n/x", false},
		{"limit_except applies in its own location", `server { location /p/ { limit_except GET { auth_basic "x"; auth_basic_user_file /f; } location /p/n/ { } } }`, "POST", "/p/x", true},
		{"limit_except skips the location's return", `server { location /x { limit_except GET { auth_basic "x"; auth_basic_user_file /f; } return 200 "hi"; } }`, "POST", "/x", true},
		{"limit_except skips the location's if", `server { location /x { limit_except GET POST { auth_basic "x"; auth_basic_user_file /f; } if ($request_method = OPTIONS) { return 204; } } }`, "OPTIONS", "/x", true},
		{"listed method runs the location's return", `server { location /x { limit_except GET { auth_basic "x"; auth_basic_user_file /f; } return 200 "hi"; } }`, "GET", "/x", false},
		{"break stops the rewrite code", `server { location /b/ { auth_basic "x"; auth_basic_user_file /f; break; return 200 "b"; } }`, "GET", "/b/", true},
		{"rewrite break stops the rewrite code", `server { location /c/ { auth_basic "x"; auth_basic_user_file /f; rewrite ^ /c/index.html break; return 200 "c"; } }`, "GET", "/c/", true},
		{"break inside a holding if", `server { location /d/ { auth_basic "x"; auth_basic_user_file /f; if ($request_method = GET) { break; } return 200 "d"; } }`, "GET", "/d/", true},
		{"rewrite last to an open location", `server { location /rw/ { auth_basic "x"; auth_basic_user_file /f; rewrite ^ /open/ last; } location /open/ { } }`, "GET", "/rw/a", false},
		{"rewrite last to a protected location", `server { location /rw/ { rewrite ^ /p/ last; } location /p/ { auth_basic "x"; auth_basic_user_file /f; } }`, "GET", "/rw/a", true},
		{"rewrite break stays in the location", `server { location /rw/ { auth_basic "x"; auth_basic_user_file /f; rewrite ^ /open/ break; } location /open/ { } }`, "GET", "/rw/a", true},
		{"internal location answers 404 first", `server { auth_basic "x"; auth_basic_user_file /f; location /admin/ { internal; } }`, "GET", "/admin/x", false},
		{"internal redirect may enter an internal location", `server { location = / { auth_basic off; } location = /index.html { internal; auth_basic "x"; auth_basic_user_file /f; } }`, "GET", "/", true},
		{"map realm off for OPTIONS", `map $request_method $realm { OPTIONS off; default "API"; } server { auth_basic $realm; auth_basic_user_file /f; location / { } }`, "OPTIONS", "/x", false},
		{"map keys ignore case", `map $request_method $realm { options off; default "API"; } server { auth_basic $realm; auth_basic_user_file /f; location / { } }`, "OPTIONS", "/x", false},
		{"map realm on for GET", `map $request_method $realm { OPTIONS off; default "API"; } server { auth_basic $realm; auth_basic_user_file /f; location / { } }`, "GET", "/x", true},
		{"server return before access", `server { auth_basic "x"; auth_basic_user_file /f; return 301 https://$host$request_uri; }`, "GET", "/", false},
		{"location return 200", `server { location /s { auth_basic "x"; auth_basic_user_file /f; return 200 "secret"; } }`, "GET", "/s", false},
		{"if OPTIONS return 204", `server { location / { if ($request_method = OPTIONS) { return 204; } auth_basic "x"; auth_basic_user_file /f; } }`, "OPTIONS", "/x", false},
		{"if OPTIONS not taken by GET", `server { location / { if ($request_method = OPTIONS) { return 204; } auth_basic "x"; auth_basic_user_file /f; } }`, "GET", "/x", true},
		{"satisfy any allow all (X3)", `server { location / { satisfy any; allow all; auth_basic "x"; auth_basic_user_file /f; } }`, "GET", "/x", false},
		{"satisfy any office CIDR", `server { location / { satisfy any; allow 10.0.0.0/8; deny all; auth_basic "x"; auth_basic_user_file /f; } }`, "GET", "/x", true},
		{"auth_request", `server { location / { auth_request /auth; } location = /auth { internal; proxy_pass http://a; } }`, "GET", "/x", true},
		{"try_files named fallback re-runs access", `server { location / { try_files $uri @app; } location @app { auth_basic "x"; auth_basic_user_file /f; proxy_pass http://a; } }`, "GET", "/", true},
		{"try_files named fallback without auth", `server { location / { try_files $uri @app; } location @app { proxy_pass http://a; } }`, "GET", "/", false},
		{"index redirect re-runs access", `server { auth_basic "x"; auth_basic_user_file /f; location = / { auth_basic off; } }`, "GET", "/", true},
		{"index redirect opened too", `server { auth_basic "x"; auth_basic_user_file /f; location = / { auth_basic off; } location = /index.html { auth_basic off; } }`, "GET", "/", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, http(tc.conf))[0]
			got := anyNeedsAuth(s.Request(tc.method, tc.uri))
			for _, idx := range s.IndexSteps(tc.method, tc.uri) {
				got = got || anyNeedsAuth(idx)
			}
			if got != tc.want {
				t.Fatalf("%s %s needs auth = %v, want %v", tc.method, tc.uri, got, tc.want)
			}
		})
	}
}

func anyNeedsAuth(steps []Step) bool {
	for i := range steps {
		if steps[i].NeedsAuth() {
			return true
		}
	}
	return false
}

func TestEffectiveArrayInheritance(t *testing.T) {
	s := load(t, http(`server {
  proxy_set_header Authorization "";
  proxy_set_header Host $host;
  location /api/ { proxy_set_header X-Foo 1; proxy_pass http://a; }
  location /b/ { proxy_pass http://a; }
}`))[0]
	api := s.ScopeFor(s.Find("/api/x")).Effective("proxy_set_header")
	if len(api) != 1 || api[0].Arg(0) != "X-Foo" {
		t.Fatalf("/api/ proxy_set_header = %v", api)
	}
	b := s.ScopeFor(s.Find("/b/x")).Effective("proxy_set_header")
	if len(b) != 2 || b[0].Arg(0) != "Authorization" {
		t.Fatalf("/b/ proxy_set_header = %v", b)
	}
	if got := s.ScopeFor(s.Find("/b/x")).Chain(); got != "http → server → location /b/" {
		t.Fatalf("chain = %q", got)
	}
}

// TestEffectiveHeadersMore: headers-more directives add to the inherited
// list instead of replacing it.
func TestEffectiveHeadersMore(t *testing.T) {
	s := load(t, http(`more_clear_input_headers Authorization;
more_set_headers "Access-Control-Allow-Origin: https://a.example";
server {
  location /api/ { more_clear_input_headers X-Other; more_set_headers "X-Frame-Options: DENY"; proxy_pass http://a; }
}`))[0]
	sc := s.ScopeFor(s.Find("/api/x"))
	cleared := sc.Effective("more_clear_input_headers")
	if len(cleared) != 2 || cleared[0].Arg(0) != "Authorization" || cleared[1].Arg(0) != "X-Other" {
		t.Fatalf("more_clear_input_headers = %v, want the http and location lines", cleared)
	}
	if !sc.CORSEnabled() {
		t.Fatal("the http-level more_set_headers Access-Control-Allow-Origin is still sent in /api/")
	}
}

func TestServersByContext(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	l := nginx.NewLoader(&paths.Resolver{}, nil)
	site := l.Load(write("site.conf", "server { listen 80; location / { } }\nserver { listen 81; }\n"), "")
	if n := len(Servers(site)); n != 2 {
		t.Fatalf("http-context snippet: %d servers, want 2", n)
	}
	snippet := l.Load(write("loc.conf", "location /admin/ { auth_basic x; }\n"), "")
	ss := Servers(snippet)
	if len(ss) != 1 || ss[0].Find("/admin/") == nil {
		t.Fatalf("server-context snippet: %+v", ss)
	}
}

func TestSampleURIs(t *testing.T) {
	s := load(t, http(`server {
  location /admin/ { }
  location = /login { }
  location ~ ^/api/(v1|v2)/.*\.json$ { }
  location ~* \.(png|jpg)$ { }
  location ~ ^/(?!public)x { }
}`))[0]
	want := map[string]string{
		"location /admin/":                   "/admin/",
		"location = /login":                  "/login",
		`location ~ ^/api/(v1|v2)/.*\.json$`: "/api/v1/x.json",
		`location ~* \.(png|jpg)$`:           "/x.png",
	}
	for _, l := range s.AllLocations() {
		got := l.SampleURIs()
		w, ok := want[l.Label()]
		if !ok {
			// Go cannot compile PCRE look-ahead: no samples.
			if l.RegexErr == nil || len(got) != 0 {
				t.Errorf("%s: samples %v, regex err %v", l.Label(), got, l.RegexErr)
			}
			continue
		}
		if len(got) == 0 || got[0] != w {
			t.Errorf("%s: samples %v, want first %q", l.Label(), got, w)
		}
	}
}

// TestSatisfyAnyOpen checks the allow rules that open a location under
// satisfy any, per address family (ngx_http_access_module keeps one list
// per family).
func TestSatisfyAnyOpen(t *testing.T) {
	for _, tc := range []struct{ name, conf, want string }{
		{"allow all", `listen 80; satisfy any; allow all;`, "every client"},
		{"IPv4 rule on an IPv4 server", `listen 80; satisfy any; allow 0.0.0.0/0; deny all;`, "every client"},
		{"IPv4 rule on a dual-stack server", `listen 80; listen [::]:80; satisfy any; allow 0.0.0.0/0; deny all;`, "every IPv4 client"},
		{"IPv6 rule on an IPv4 server", `listen 80; satisfy any; allow ::/0; deny all;`, ""},
		{"IPv6 rule on a dual-stack server", `listen 80; listen [::]:80; satisfy any; allow ::/0; deny all;`, "every IPv6 client"},
		{"both rules", `listen 80; listen [::]:80; satisfy any; allow 0.0.0.0/0; allow ::/0; deny all;`, "every client"},
		{"one address denied first", `listen 80; satisfy any; deny 192.0.2.1; allow all;`, "every client"},
		{"deny all first", `listen 80; satisfy any; deny all; allow all;`, ""},
		{"office network", `listen 80; satisfy any; allow 10.0.0.0/8; deny all;`, ""},
		{"satisfy all", `listen 80; allow all;`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, http(`server { `+tc.conf+` auth_basic "x"; auth_basic_user_file /f; location / { } }`))[0]
			sc := s.ScopeFor(s.Find("/"))
			if got := sc.SatisfyAnyOpenTo(); got != tc.want {
				t.Fatalf("SatisfyAnyOpenTo = %q, want %q", got, tc.want)
			}
		})
	}
}
