package realserver

import (
	"slices"
	"testing"
)

// Tests of the rendering rules themselves: a wrong rewrite would make the
// real-server tests probe something other than the fixture.

func TestPortOf(t *testing.T) {
	for _, c := range []struct {
		in   string
		port int
		ok   bool
	}{
		{"8080", 8080, true},
		{"*:80", 80, true},
		{"127.0.0.1:8081", 8081, true},
		{"[::]:443", 443, true},
		{"[::1]", 80, true},
		{"localhost", 80, true},
		{"unix:/run/x.sock", 0, false},
	} {
		p, ok := portOf(c.in)
		if p != c.port || ok != c.ok {
			t.Errorf("portOf(%q) = %d, %v; want %d, %v", c.in, p, ok, c.port, c.ok)
		}
	}
}

func TestRewritePorts(t *testing.T) {
	ports := map[int]int{80: 40080, 8080: 48080, 8081: 48081}
	for _, c := range []struct {
		server, in, want string
		found            []int
	}{
		{"nginx", "server { listen 8080; }", "server { listen 127.0.0.1:48080; }", []int{8080}},
		{"nginx", "listen 0.0.0.0:8081 default_server;", "listen 127.0.0.1:48081 default_server;", []int{8081}},
		{"nginx", "    listen 80;\n    listen [::]:80;", "    listen 127.0.0.1:40080;\n    listen 127.0.0.1:40080;", []int{80}},
		{"nginx", "listen unix:/run/a.sock;", "listen unix:/run/a.sock;", nil},
		{"nginx", "server {listen 8080;}", "server {listen 127.0.0.1:48080;}", []int{8080}},
		{"nginx", "server_name listen.example; # listen 1;", "server_name listen.example; # listen 1;", nil},
		{"nginx", "# a comment about listen\nproxy_pass http://x:8080;", "# a comment about listen\nproxy_pass http://x:8080;", nil},
		{"apache", "Listen 80\n", "Listen 127.0.0.1:40080\n", []int{80}},
		{"apache", "  Listen 0.0.0.0:8080 http\n", "  Listen 127.0.0.1:48080 http\n", []int{8080}},
		{"apache", "<VirtualHost *:80 _default_:8081>", "<VirtualHost *:40080 _default_:48081>", []int{80, 8081}},
		{"apache", "<VirtualHost *>\nProxyPass / http://127.0.0.1:8080/", "<VirtualHost *>\nProxyPass / http://127.0.0.1:8080/", nil},
	} {
		found := map[int]bool{}
		got := rewritePorts(c.in, c.server, ports, found)
		if got != c.want {
			t.Errorf("%s %q:\n got %q\nwant %q", c.server, c.in, got, c.want)
		}
		var f []int
		for p := range found {
			f = append(f, p)
		}
		slices.Sort(f)
		if !slices.Equal(f, c.found) {
			t.Errorf("%s %q: found ports %v, want %v", c.server, c.in, f, c.found)
		}
	}
}

func TestRewriteSysroot(t *testing.T) {
	dst := "/tmp/r" // the tests run where paths use slashes, as the servers do
	tops := []string{"etc/apache2", "var/www", "var/cgi-bin"}
	for _, c := range []struct{ in, want string }{
		{`AuthUserFile /etc/apache2/htpasswd`, `AuthUserFile ` + dst + "/etc/apache2/htpasswd"},
		{`<Directory "/var/www/html">`, `<Directory "` + dst + "/var/www/html" + `">`},
		{`ScriptAlias /cgi-bin/ /var/cgi-bin/`, `ScriptAlias /cgi-bin/ ` + dst + "/var/cgi-bin/"},
		{`DocumentRoot /srv/site`, `DocumentRoot /srv/site`},                           // no srv/site in the tree
		{`TypesConfig /etc/mime.types`, `TypesConfig /etc/mime.types`},                 // nor etc/mime.types
		{`ErrorLog /var/log/apache2/error.log`, `ErrorLog /var/log/apache2/error.log`}, // nor var/log
		{`LoadModule x /usr/lib/apache2/modules/mod_x.so`, `LoadModule x /usr/lib/apache2/modules/mod_x.so`},
		{`<Location /etcetera/>`, `<Location /etcetera/>`},
		// A known limit: a URL path that starts like a sysroot dir is
		// rewritten too; fixtures avoid such URL paths.
		{`Redirect /var/www/x http://h/var/www/y`, `Redirect ` + dst + "/var/www/x" + ` http://h/var/www/y`},
	} {
		got, _ := rewriteSysroot(c.in, tops, dst)
		if got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestRewriteUpstreams(t *testing.T) {
	b := &backends{httpAddr: "127.0.0.1:40001", fcgiAddr: "127.0.0.1:40002", fcgiUnix: "/tmp/rs1/fcgi.sock"}
	ups := map[string]string{"127.0.0.1:9": "http", "/run/php/php8.2-fpm.sock": "fastcgi", "10.0.0.5:9000": "fastcgi"}
	for _, c := range []struct{ in, want string }{
		{`ProxyPass "/api/" "http://127.0.0.1:9/"`, `ProxyPass "/api/" "http://127.0.0.1:40001/"`},
		{`proxy_pass http://127.0.0.1:9000;`, `proxy_pass http://127.0.0.1:9000;`}, // :9 is not :9000
		{`SetHandler "proxy:unix:/run/php/php8.2-fpm.sock|fcgi://localhost"`, `SetHandler "proxy:unix:/tmp/rs1/fcgi.sock|fcgi://localhost"`},
		{`fastcgi_pass 10.0.0.5:9000;`, `fastcgi_pass 127.0.0.1:40002;`},
	} {
		if got := rewriteUpstreams(c.in, ups, b); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestPinWrites(t *testing.T) {
	dst := "/tmp/r"
	for _, c := range []struct{ server, in, want string }{
		{"nginx", "pid /run/nginx.pid;\nuser www-data;", "# pid: set by the test runner;\nuser www-data;"},
		{"nginx", "worker_processes auto;", "# worker_processes: set by the test runner;"},
		{"nginx", "error_log /var/log/nginx/error.log warn;", "error_log /tmp/r/log/error.log warn;"},
		{"nginx", "server { access_log /var/log/nginx/a.log main; }", "server { access_log /tmp/r/log/a.log main; }"},
		{"nginx", "access_log off; error_log stderr;", "access_log off; error_log stderr;"},
		{"nginx", "access_log /tmp/r/x.log;", "access_log /tmp/r/x.log;"}, // already inside
		{"nginx", "proxy_pass http://127.0.0.1:9000/pid;", "proxy_pass http://127.0.0.1:9000/pid;"},
		{"apache", `ErrorLog "/var/log/apache2/error.log"`, `ErrorLog "/tmp/r/log/error.log"`},
		{"apache", "  CustomLog /var/log/apache2/access.log combined", "  CustomLog /tmp/r/log/access.log combined"},
		{"apache", "PidFile /run/apache2/apache2.pid", "PidFile /tmp/r/log/apache2.pid"},
		{"apache", `CustomLog "|/usr/bin/rotatelogs x" common`, `CustomLog "|/usr/bin/rotatelogs x" common`},
		{"apache", "ErrorLog logs/error.log", "ErrorLog logs/error.log"}, // relative: under ServerRoot, in the render dir
	} {
		if got := pinWrites(c.in, c.server, dst); got != c.want {
			t.Errorf("%s %q:\n got %q\nwant %q", c.server, c.in, got, c.want)
		}
	}
}
