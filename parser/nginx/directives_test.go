package nginx

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestSpecAccepts(t *testing.T) {
	cases := []struct {
		name, ctx string
		n         int
		want      bool
	}{
		{"auth_basic", ctxHTTP, 1, true},
		{"auth_basic", ctxHTTP, 2, false},
		{"listen", ctxHTTP, 0, false},
		{"listen", ctxHTTP, 9, true},
		{"error_page", ctxHTTP, 1, false},
		{"error_page", ctxHTTP, 2, true},
		{"return", ctxHTTP, 2, true},
		{"return", ctxHTTP, 3, false},
		{"stub_status", ctxHTTP, 0, true},
		{"add_header", ctxHTTP, 1, false},
		{"sendfile", ctxHTTP, 1, true},
		{"keepalive_timeout", ctxHTTP, 2, true},
		{"keepalive_timeout", ctxUpstream, 2, false},
		{"server", ctxUpstream, 1, true},
		{"random", ctxUpstream, 0, true},
	}
	for _, c := range cases {
		s, ok := lookup(c.name, c.ctx)
		if !ok || s.accepts(c.n) != c.want {
			t.Errorf("%s in %s with %d args: known %v, accepts %v, want %v", c.name, c.ctx, c.n, ok, s.accepts(c.n), c.want)
		}
	}
	for _, unknown := range []string{"more_set_headers", "js_import", "passenger_enabled"} {
		if _, ok := lookup(unknown, ctxHTTP); ok {
			t.Errorf("%s should be unknown", unknown)
		}
	}
	if s, ok := lookup("server", ctxUnknown); ok {
		t.Errorf("server at the top of a file is ambiguous, got %+v", s)
	}
}

// TestDirectiveTableMatchesNginx checks every table entry against the
// installed nginx: for 0..8 arguments, nginx says "invalid number of
// arguments" exactly when the table does not accept the count. It runs a
// few thousand `nginx -t` (several seconds), so it runs in CI or with
// AUTHLINT_NGINX_TABLE=1.
func TestDirectiveTableMatchesNginx(t *testing.T) {
	if os.Getenv("AUTHLINT_NGINX_TABLE") != "1" && os.Getenv("CI") != "true" {
		t.Skip("set AUTHLINT_NGINX_TABLE=1 (or CI=true) to check the directive table against nginx")
	}
	bin := nginxBinary(t)
	wrap := map[string]func(string) string{
		"main":   func(d string) string { return d + "\nevents {}\n" },
		"events": func(d string) string { return "events {\n" + d + "\n}\n" },
		"http":   func(d string) string { return "events {}\nhttp {\naccess_log off;\n" + d + "\n}\n" },
		"server": func(d string) string { return "events {}\nhttp {\naccess_log off;\nserver {\n" + d + "\n}\n}\n" },
		"location": func(d string) string {
			return "events {}\nhttp {\naccess_log off;\nserver {\nlocation / {\n" + d + "\n}\n}\n}\n"
		},
		"upstream": func(d string) string {
			return "events {}\nhttp {\naccess_log off;\nupstream u {\nserver 127.0.0.1;\n" + d + "\n}\n}\n"
		},
	}
	check := func(t *testing.T, name string, s spec, contexts []string) {
		t.Helper()
		line := func(n int) string {
			var b strings.Builder
			b.WriteString(name)
			for i := range n {
				fmt.Fprintf(&b, " a%d", i)
			}
			if s.block {
				return b.String() + " {}"
			}
			return b.String() + ";"
		}
		dir := t.TempDir()
		run := func(ctx string, n int) string {
			conf := filepath.Join(dir, "nginx.conf")
			if err := os.WriteFile(conf, []byte(wrap[ctx](line(n))), 0o600); err != nil {
				t.Fatal(err)
			}
			_, msg, _, _ := nginxTest(t, bin, conf)
			return msg
		}
		for _, ctx := range contexts {
			if msg := run(ctx, 1); strings.Contains(msg, "not allowed here") || strings.Contains(msg, "unknown directive") {
				continue
			}
			for n := range 9 {
				invalid := strings.Contains(run(ctx, n), "invalid number of arguments")
				if invalid == s.accepts(n) {
					t.Errorf("%s in %s with %d arguments: nginx invalid=%v, table accepts=%v", name, ctx, n, invalid, s.accepts(n))
				}
			}
			return
		}
		t.Logf("%s: not in this nginx build", name)
	}
	tables := []struct {
		specs    map[string]spec
		contexts []string
	}{
		{httpSpecs, []string{"http", "server", "location", "main", "events"}},
		{upstreamSpecs, []string{"upstream"}},
	}
	for _, tb := range tables {
		names := make([]string, 0, len(tb.specs))
		for name := range tb.specs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			t.Run(tb.contexts[0]+"/"+name, func(t *testing.T) {
				t.Parallel()
				check(t, name, tb.specs[name], tb.contexts)
			})
		}
	}
}
