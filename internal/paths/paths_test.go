package paths

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResolve(t *testing.T) {
	tree := t.TempDir()
	mk := func(rel string) {
		p := filepath.Join(tree, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mk("sys/etc/nginx/conf.d/a.conf")
	mk("repo/nginx/conf.d/b.conf")
	mk("mapped/site.conf")
	mk("httpd/conf.d/c.conf")
	sys := filepath.Join(tree, "sys")
	repoNginx := filepath.Join(tree, "repo", "nginx")

	for _, tc := range []struct {
		name          string
		r             Resolver
		in, base, dir string
		want          string
	}{
		{"relative joins base", Resolver{}, "conf.d/x.conf", "/etc/nginx", "", "/etc/nginx/conf.d/x.conf"},
		{"sysroot", Resolver{Sysroot: sys}, "/etc/nginx/conf.d/a.conf", "", "", filepath.Join(sys, filepath.FromSlash("etc/nginx/conf.d/a.conf"))},
		{"sysroot glob", Resolver{Sysroot: sys}, "/etc/nginx/conf.d/*.conf", "", "", filepath.Join(sys, filepath.FromSlash("etc/nginx/conf.d/*.conf"))},
		{"rebase onto entry dir", Resolver{}, "/etc/nginx/conf.d/b.conf", "", repoNginx, filepath.Join(repoNginx, filepath.FromSlash("conf.d/b.conf"))},
		{"rebase glob", Resolver{}, "/etc/nginx/conf.d/*.conf", "", repoNginx, filepath.Join(repoNginx, filepath.FromSlash("conf.d/*.conf"))},
		{"httpd conf dir rebases to its parent", Resolver{}, "/etc/httpd/conf.d/c.conf", "", filepath.Join(tree, "httpd", "conf"), filepath.Join(tree, filepath.FromSlash("httpd/conf.d/c.conf"))},
		{"mapping beats the rest", Resolver{Sysroot: sys, Mappings: []Mapping{{"/etc/nginx/sites", filepath.Join(tree, "mapped")}}}, "/etc/nginx/sites/site.conf", "", repoNginx, filepath.Join(tree, filepath.FromSlash("mapped/site.conf"))},
		{"longest mapping wins", Resolver{Mappings: []Mapping{{"/etc", "/nope"}, {"/etc/nginx/sites", filepath.Join(tree, "mapped")}}}, "/etc/nginx/sites/site.conf", "", "", filepath.Join(tree, filepath.FromSlash("mapped/site.conf"))},
		{"missing everywhere names the config's path", Resolver{Sysroot: sys}, "/etc/nginx/none.conf", "", repoNginx, "/etc/nginx/none.conf"},
		{"unconventional prefix is not rebased", Resolver{}, "/srv/x.conf", "", repoNginx, "/srv/x.conf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Resolve(tc.in, tc.base, tc.dir); got != tc.want {
				t.Fatalf("Resolve(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDetectSysroot(t *testing.T) {
	dir := t.TempDir()
	if DetectSysroot(dir) != "" {
		t.Fatal("empty dir is not a sysroot")
	}
	if err := os.MkdirAll(filepath.Join(dir, "var", "www"), 0o750); err != nil {
		t.Fatal(err)
	}
	if DetectSysroot(dir) != dir {
		t.Fatal("var/www makes a sysroot")
	}
}

func TestParseMapping(t *testing.T) {
	if m, ok := ParseMapping("/etc/nginx/=deploy/nginx"); !ok || m.Prefix != "/etc/nginx" || m.Dir != "deploy/nginx" {
		t.Fatalf("got %+v %v", m, ok)
	}
	for _, bad := range []string{"etc/nginx=x", "/etc/nginx", "/etc/nginx="} {
		if _, ok := ParseMapping(bad); ok {
			t.Errorf("ParseMapping(%q) accepted", bad)
		}
	}
}
